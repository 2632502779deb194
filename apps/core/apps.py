from django.utils.translation import gettext_lazy as _

from .contract import PortalAppConfig


class CoreConfig(PortalAppConfig):
    name = "apps.core"
    verbose_name = _("基础数据")

    def sitemaps(self):
        from .sitemaps import StaticPagesSitemap

        return {"pages": StaticPagesSitemap}

    def demo_load(self, stdout):
        from .demo import load

        load(stdout)
