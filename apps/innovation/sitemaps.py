from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Project


class InnovationIndexSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["innovation:index"]

    def location(self, item):
        return reverse(item)


class ProjectSitemap(Sitemap):
    """Only public projects: awarded and never a business secret."""

    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return Project.objects.public().only("id", "updated_at").order_by("pk")

    def lastmod(self, project):
        return project.updated_at


sitemaps = {"innovation_index": InnovationIndexSitemap, "innovation_projects": ProjectSitemap}
