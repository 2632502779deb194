from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.core.sitemaps import ObjectSitemap

from .models import Project


class InnovationIndexSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["innovation:index"]

    def location(self, item):
        return reverse(item)


class ProjectSitemap(ObjectSitemap):
    """Only public projects: awarded and never a business secret."""

    changefreq = "yearly"
    priority = 0.4
    viewname = "innovation:project"

    def queryset(self):
        return Project.objects.public().only("id", "updated_at").order_by("pk")


sitemaps = {"innovation_index": InnovationIndexSitemap, "innovation_projects": ProjectSitemap}
