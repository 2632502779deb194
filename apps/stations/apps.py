from django.utils.translation import gettext_lazy as _

from apps.core.contract import Metric, NavLink, Panel, PortalAppConfig, ReminderKind, Role


class StationsConfig(PortalAppConfig):
    name = "apps.stations"
    verbose_name = _("职工驿站")
    public_pages = ("stations:list", "stations:map_json", "stations:detail")
    public_models = (
        "stations.Amenity",
        "stations.Station",
        "stations.OpeningHours",
        "stations.StationPhoto",
        "stations.Rating",
        "stations.Inspection",
        # Check-ins feed ten-things item 5 and the dashboard: a check-in refreshes them at once.
        "stations.Visit",
    )
    sitemaps_module = "sitemaps"
    demo_module = "demo"

    def nav_links(self):
        return [
            NavLink(_("职工驿站"), "stations:list", order=40, icon="驿"),
            NavLink(_("我的驿站"), "stations:keeper", order=140, role="station_keeper"),
        ]

    def roles(self):
        return [
            Role(
                "station_keeper",
                _("驿站管理员"),
                (
                    "stations.view_station",
                    "stations.view_inspection",
                    "stations.add_inspection",
                    "stations.view_visit",
                    "stations.view_report",
                ),
                landing="stations:keeper",
            )
        ]

    def role_grants(self):
        return {"leader": ["stations.view_station", "stations.view_visit", "stations.view_inspection"]}

    def reminder_kinds(self):
        return [
            ReminderKind("stations.inspection_overdue", _("驿站巡检逾期"), roles=("station_keeper",)),
            ReminderKind("stations.inspection_problem", _("驿站设备损坏"), roles=("station_keeper",)),
            ReminderKind("stations.report", _("职工反映驿站问题"), roles=("station_keeper",)),
        ]

    def metrics(self):
        from . import selectors

        return [
            Metric(
                "stations.opened_24h",
                _("新建“兴惠有你”24小时自助服务驿站"),
                _("个"),
                selectors.metric_opened_24h,
            ),
            Metric("stations.visits", _("职工驿站签到人次"), _("人次"), selectors.metric_visits),
        ]

    def home_panel(self, request):
        from .selectors import station_counts

        counts = station_counts()
        return Panel("stations/panel_home.html", {"open_24h": counts.open_24h, "counts": counts}, order=40)

    def me_panel(self, request):
        from apps.accounts.roles import user_holds

        from .selectors import keeper_stations, user_feedback

        user = request.user
        if not user.is_authenticated:
            return None
        context = {}
        if user_holds(user, "station_keeper") and not user.is_superuser:
            stations = keeper_stations(user)
            context["kept"] = stations
            context["overdue"] = sum(1 for s in stations if s.overdue)
        ratings, reports = user_feedback(user)
        context["ratings"], context["reports"] = ratings, reports
        if not any(context.values()):
            return None
        return Panel("stations/panel_me.html", context, order=40)

    def dashboard_figures(self, year):
        from .selectors import dashboard_figure_group

        return dashboard_figure_group(year)
