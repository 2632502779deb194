from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Station


class StationListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["stations:list"]

    def location(self, item):
        return reverse(item)


class StationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Station.objects.public().only("id", "updated_at").order_by("pk")

    def lastmod(self, station):
        return station.updated_at


sitemaps = {"stations_list": StationListSitemap, "stations": StationSitemap}
