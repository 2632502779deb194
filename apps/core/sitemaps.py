"""The portal's own pages in the sitemap; each app adds its own through the contract's
``sitemaps()`` hook (collected by ``registry.sitemaps``)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)
