from django.utils.translation import gettext_lazy as _

from .contract import PortalAppConfig


class CoreConfig(PortalAppConfig):
    name = "apps.core"
    verbose_name = _("基础数据")
    demo_module = "demo"

    def sitemaps(self):
        from .sitemaps import StaticPagesSitemap

        return {"pages": StaticPagesSitemap}
