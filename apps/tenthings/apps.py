from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenThingsConfig(AppConfig):
    name = "apps.tenthings"
    verbose_name = _("十件实事")
    nav_links = [(20, _("十件实事"), "tenthings:current", "实")]
    # Reporters submit on the public site (checked per item: only the responsible person);
    # verifying needs tenthings.verify_progressreport, given to staff members in the admin.
    role_permissions = {
        "tenthings_reporter": ["tenthings.add_progressreport", "tenthings.view_progressreport"],
        "leader": [
            "tenthings.view_plan",
            "tenthings.view_item",
            "tenthings.view_indicator",
            "tenthings.view_progressreport",
            "tenthings.view_task",
            "tenthings.view_responsibilityrecord",
        ],
    }

    def ready(self):
        from apps.reminders import kinds

        kinds.register("tenthings.report_request", _("十件实事：月度进展填报提醒"))
        kinds.register("tenthings.overdue", _("十件实事：节点或任务逾期"))
        kinds.register("tenthings.digest", _("十件实事：领导周报"))
        kinds.register("tenthings.report_returned", _("十件实事：填报退回"))
        kinds.register("tenthings.report_verified", _("十件实事：关注事项有新进展"))

    def home_panel(self, request):
        from .selectors import plan_current, plan_progress

        plan = plan_current()
        if plan is None:
            return None
        return {"template": "tenthings/panel_home.html", "context": {"progress": plan_progress(plan)}, "order": 20}

    def me_panel(self, request):
        from .selectors import items_of_user

        if not request.user.is_authenticated:
            return None
        mine = items_of_user(request.user)
        if not mine["responsible"] and not mine["following"]:
            return None
        return {"template": "tenthings/panel_me.html", "context": mine, "order": 20}
