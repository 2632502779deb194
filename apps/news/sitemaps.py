from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return Article.objects.published().only("id", "updated_at", "published_at").order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"news": ArticleSitemap}
