from django.utils.translation import gettext_lazy as _

from .contract import PortalAppConfig


class CoreConfig(PortalAppConfig):
    name = "apps.core"
    verbose_name = _("基础数据")
    public_pages = ("home", "robots_txt", "sitemap", "sitemap_section")
    public_models = ("core.Town", "core.Organization")
    demo_module = "demo"

    def sitemaps(self):
        from .sitemaps import StaticPagesSitemap

        return {"pages": StaticPagesSitemap}

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import CalendarDay
        from .pagecache import connect_invalidation
        from .workdays import calendar_changed

        connect_invalidation()
        post_save.connect(calendar_changed, sender=CalendarDay, dispatch_uid="core.calendar_changed")
        post_delete.connect(calendar_changed, sender=CalendarDay, dispatch_uid="core.calendar_deleted")
