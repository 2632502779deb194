from django.contrib.sitemaps import Sitemap

from .models import Item, Plan


class PlanSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Plan.objects.published().order_by("-year")

    def lastmod(self, plan):
        return plan.updated_at


class ItemSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            Item.objects.filter(plan__published=True)
            .select_related("plan")
            .only("id", "number", "updated_at", "plan__year")
            .order_by("-plan__year", "number")
        )

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"tenthings-plans": PlanSitemap, "tenthings-items": ItemSitemap}
