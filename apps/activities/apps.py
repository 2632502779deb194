from django.utils.translation import gettext_lazy as _

from apps.core.contract import Metric, NavLink, Panel, PortalAppConfig, Role

ORGANISER_PERMISSIONS = (
    "activities.view_activity",
    "activities.add_activity",
    "activities.change_activity",
    "activities.view_session",
    "activities.add_session",
    "activities.change_session",
)


def _held(kind):
    def compute(year):
        from .selectors import held_count

        return held_count(kind, year)

    return compute


def _times(kind):
    def compute(year):
        from .selectors import person_times

        return person_times(kind, year)

    return compute


def _new_form_people(year):
    from .selectors import new_form_people

    return new_form_people(year)


class ActivitiesConfig(PortalAppConfig):
    name = "apps.activities"
    verbose_name = _("活动报名")
    public_pages = ("activities:list", "activities:detail", "activities:draw")
    public_models = ("activities.Activity", "activities.Session", "enrolment.Roster", "enrolment.Occasion")
    sitemaps_module = "sitemaps"
    demo_module = "demo"

    def nav_links(self):
        return [
            NavLink(_("活动报名"), "activities:list", order=45, icon="活"),
            NavLink(_("活动管理"), "activities:manage", order=145, role="activity_organiser"),
        ]

    def roles(self):
        return [Role("activity_organiser", _("活动组织者"), ORGANISER_PERMISSIONS, landing="activities:manage")]

    def role_grants(self):
        return {"leader": ["activities.view_activity"]}

    def metrics(self):
        from .models import Kind

        found = []
        for kind, label in Kind.choices:
            found.append(
                Metric(f"activities.{kind}.held", _("%(kind)s举办场次") % {"kind": label}, _("场"), _held(kind))
            )
            found.append(
                Metric(
                    f"activities.{kind}.person_times", _("%(kind)s参加人次") % {"kind": label}, _("人次"), _times(kind)
                )
            )
        found.append(
            Metric(
                "activities.new_form_attended",
                _("新业态暖心服务参加人数（按人去重）"),
                _("名"),
                _new_form_people,
            )
        )
        return found

    def me_panel(self, request):
        from apps.enrolment.services import person_code

        from .selectors import my_activities

        user = request.user
        if not user.is_authenticated:
            return None
        rows = my_activities(user)
        if not rows:
            return None
        return Panel("activities/panel_me.html", {"rows": rows, "code": person_code(user)}, order=45)

    def dashboard_figures(self, year):
        from .figures import figure_group

        return figure_group(year)
