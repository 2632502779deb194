"""Each app that has public pages exposes ``sitemaps = {name: SitemapClass}`` in sitemaps.py."""

from importlib import import_module

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)


def collect_sitemaps() -> dict:
    found = {"pages": StaticPagesSitemap}
    for config in apps.get_app_configs():
        if not config.name.startswith("apps.") or config.name == "apps.core":
            continue
        try:
            module = import_module(f"{config.name}.sitemaps")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.sitemaps":
                raise
            continue
        found.update(getattr(module, "sitemaps", {}))
    return found
