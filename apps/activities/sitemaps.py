from apps.core.sitemaps import ObjectSitemap

from .models import Activity


class ActivitySitemap(ObjectSitemap):
    viewname = "activities:detail"
    changefreq = "daily"

    def queryset(self):
        return Activity.objects.public().order_by("pk")


sitemaps = {"activities": ActivitySitemap}
