from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.core.sitemaps import ObjectSitemap

from .models import Station


class StationListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["stations:list"]

    def location(self, item):
        return reverse(item)


class StationSitemap(ObjectSitemap):
    changefreq = "monthly"
    priority = 0.5
    viewname = "stations:detail"

    def queryset(self):
        return Station.objects.public().only("id", "updated_at").order_by("pk")


sitemaps = {"stations_list": StationListSitemap, "stations": StationSitemap}
