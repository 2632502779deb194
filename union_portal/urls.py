from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from django.views.static import serve

from apps.core import views as core_views
from apps.core.api import build_api
from apps.core.sitemaps import sitemap, sitemap_section

admin.site.site_header = _("兴化市总工会 · 管理后台")
admin.site.site_title = _("市总工会管理后台")
admin.site.index_title = _("工作台")
# Staff sign in through allauth like everyone else: one login, one set of rate limits.
admin.site.login = core_views.admin_login

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("me/", include("apps.accounts.urls")),
    path("me/notifications/", include("apps.reminders.urls")),
    path("news/", include("apps.news.urls")),
    path("ten-things/", include("apps.tenthings.urls")),
    path("stations/", include("apps.stations.urls")),
    path("legal/", include("apps.legal_aid.urls")),
    path("innovation/", include("apps.innovation.urls")),
    path("", include("apps.membership.urls")),
    path("activities/", include("apps.activities.urls")),
    path("benefits/", include("apps.benefits.urls")),
    path("help/", include("apps.assistance.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    path("api/v1/", build_api().urls),
    # Sign-in for the API's app clients: allauth headless, session tokens (apps/core/api.py).
    path("_allauth/", include("allauth.headless.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/language/", core_views.language, name="language"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Section names carry "_" and "-" ("legal_events", "tenthings-items").
    re_path(r"^sitemap-(?P<section>[\w-]+)\.xml$", sitemap_section, name="sitemap_section"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"
