from apps.core.sitemaps import ObjectSitemap

from .models import Article


class ArticleSitemap(ObjectSitemap):
    changefreq = "monthly"
    priority = 0.6
    viewname = "news:detail"

    def queryset(self):
        return Article.objects.published().only("id", "updated_at", "published_at").order_by("-published_at", "-id")


sitemaps = {"news": ArticleSitemap}
