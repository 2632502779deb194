"""Public pages only: the index, stations and events. Consultations and cases never appear."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import LegalEvent, LegalStation


class LegalPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["legal_aid:index", "legal_aid:events"]

    def location(self, item):
        return reverse(item)


class LegalStationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return LegalStation.objects.public().only("id", "updated_at").order_by("pk")

    def lastmod(self, station):
        return station.updated_at


class LegalEventSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return LegalEvent.objects.published().only("id", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at


sitemaps = {"legal_pages": LegalPagesSitemap, "legal_stations": LegalStationSitemap, "legal_events": LegalEventSitemap}
