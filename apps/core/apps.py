from django.utils.translation import gettext_lazy as _

from .contract import PortalAppConfig


class CoreConfig(PortalAppConfig):
    name = "apps.core"
    verbose_name = _("基础数据")
    public_pages = ("home", "sitemap", "sitemap_section")
    public_models = ("core.Town", "core.Organization")
    demo_module = "demo"

    def sitemaps(self):
        from .sitemaps import StaticPagesSitemap

        return {"pages": StaticPagesSitemap}

    def ready(self):
        from .pagecache import connect_invalidation

        connect_invalidation()
