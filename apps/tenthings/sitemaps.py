from apps.core.sitemaps import ObjectSitemap

from .models import Item, Plan


class PlanSitemap(ObjectSitemap):
    changefreq = "weekly"
    priority = 0.7
    viewname = "tenthings:year"
    path_fields = ("year",)

    def queryset(self):
        return Plan.objects.published().only("id", "year", "updated_at").order_by("-year")


class ItemSitemap(ObjectSitemap):
    changefreq = "weekly"
    priority = 0.6
    viewname = "tenthings:item"
    path_fields = ("plan__year", "number")

    def queryset(self):
        return (
            Item.objects.filter(plan__published=True)
            .select_related("plan")
            .only("id", "number", "updated_at", "plan__year")
            .order_by("-plan__year", "number")
        )


sitemaps = {"tenthings-plans": PlanSitemap, "tenthings-items": ItemSitemap}
