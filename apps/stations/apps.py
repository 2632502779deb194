from django.apps import AppConfig
from django.apps import apps as django_apps
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "apps.stations"
    verbose_name = _("职工驿站")
    nav_links = [(40, _("职工驿站"), "stations:list", "驿")]
    role_permissions = {
        "station_keeper": [
            "stations.view_station",
            "stations.view_inspection",
            "stations.add_inspection",
            "stations.view_visit",
            "stations.view_report",
        ],
        "leader": ["stations.view_station", "stations.view_visit", "stations.view_inspection"],
    }

    def ready(self):
        from apps.reminders import kinds

        from . import selectors, signals  # noqa: F401  (connects the marker-cache invalidation)

        kinds.register("stations.inspection_overdue", _("驿站巡检逾期"))
        kinds.register("stations.inspection_problem", _("驿站设备损坏"))
        kinds.register("stations.report", _("职工反映驿站问题"))
        if django_apps.is_installed("apps.tenthings"):
            from apps.tenthings import metrics

            metrics.register("stations.opened_24h", _("新建24小时户外劳动者驿站"), _("个"), selectors.metric_opened_24h)
            metrics.register("stations.visits", _("职工驿站签到人次"), _("人次"), selectors.metric_visits)

    def home_panel(self, request):
        from .selectors import stations_open_24h_count

        return {
            "template": "stations/panel_home.html",
            "context": {"open_24h": stations_open_24h_count()},
            "order": 40,
        }

    def me_panel(self, request):
        from apps.accounts.roles import STATION_KEEPER, user_has_role

        from .selectors import keeper_stations, user_feedback

        user = request.user
        if not user.is_authenticated:
            return None
        context = {}
        if user_has_role(user, STATION_KEEPER) and not user.is_superuser:
            stations = keeper_stations(user)
            context["kept"] = stations
            context["overdue"] = sum(1 for s in stations if s.overdue)
        ratings, reports = user_feedback(user)
        context["ratings"], context["reports"] = ratings, reports
        if not any(context.values()):
            return None
        return {"template": "stations/panel_me.html", "context": context, "order": 40}
