"""Public pages only: the index, stations and events. Consultations and cases never appear."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.core.sitemaps import ObjectSitemap

from .models import LegalEvent, LegalStation


class LegalPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["legal_aid:index", "legal_aid:events"]

    def location(self, item):
        return reverse(item)


class LegalStationSitemap(ObjectSitemap):
    changefreq = "monthly"
    priority = 0.5
    viewname = "legal_aid:station"

    def queryset(self):
        return LegalStation.objects.public().only("id", "updated_at").order_by("pk")


class LegalEventSitemap(ObjectSitemap):
    changefreq = "monthly"
    priority = 0.4
    viewname = "legal_aid:event"

    def queryset(self):
        return LegalEvent.objects.published().only("id", "updated_at").order_by("pk")


sitemaps = {"legal_pages": LegalPagesSitemap, "legal_stations": LegalStationSitemap, "legal_events": LegalEventSitemap}
