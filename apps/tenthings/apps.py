from django.utils.translation import gettext_lazy as _

from apps.core.contract import NavLink, Panel, PortalAppConfig, ReminderKind, Role

VERIFY_PERMISSION = "tenthings.verify_progressreport"


class TenThingsConfig(PortalAppConfig):
    name = "apps.tenthings"
    verbose_name = _("十件实事")
    public_pages = ("tenthings:current", "tenthings:year", "tenthings:item")
    public_models = (
        "tenthings.Plan",
        "tenthings.Item",
        "tenthings.Indicator",
        "tenthings.Task",
        "tenthings.ResponsibilityRecord",
        "tenthings.ProgressReport",
        "tenthings.ReportPhoto",
        "tenthings.ItemEvent",
        "tenthings.Rating",
        "tenthings.Follow",
    )
    sitemaps_module = "sitemaps"
    demo_module = "demo"

    def metric_targets(self, year):
        """Targets of the linked indicators of that year's published plan: the one source of
        every other app's "target of metric K in year Y"."""
        from .models import Indicator

        rows = (
            Indicator.objects.filter(item__plan__year=year, item__plan__published=True, target__isnull=False)
            .exclude(metric_key="")
            .order_by("item__number", "pk")
            .values_list("metric_key", "target")
        )
        found = {}
        for key, target in rows:
            found.setdefault(key, target)  # two indicators on one metric: the first item's target
        return found

    def nav_links(self):
        from .selectors import reports_pending_count

        return [
            NavLink(_("十件实事"), "tenthings:current", order=20, icon="实"),
            # The verifiers' front door, with the number of reports waiting for them.
            NavLink(
                _("待核实"),
                "tenthings:review",
                order=21,
                icon="核",
                role="tenthings_verifier",
                badge=lambda user: reports_pending_count(),
            ),
            NavLink(_("我的填报"), "tenthings:mine", order=22, icon="填", role="tenthings_reporter"),
        ]

    def roles(self):
        # Reporters submit on the public site (checked per item: only the responsible person)
        # and land on their own reports; verifiers land on the reports waiting for them.
        return [
            Role(
                "tenthings_reporter",
                _("十件实事填报人"),
                ("tenthings.add_progressreport", "tenthings.view_progressreport"),
                landing="tenthings:mine",
            ),
            Role(
                "tenthings_verifier",
                _("十件实事核实人"),
                (VERIFY_PERMISSION, "tenthings.view_progressreport"),
                landing="tenthings:review",
            ),
        ]

    def role_grants(self):
        return {
            "leader": [
                "tenthings.view_plan",
                "tenthings.view_item",
                "tenthings.view_indicator",
                "tenthings.view_progressreport",
                "tenthings.view_task",
                "tenthings.view_responsibilityrecord",
            ]
        }

    def reminder_kinds(self):
        return [
            ReminderKind("tenthings.report_request", _("十件实事：月度进展填报提醒"), roles=("tenthings_reporter",)),
            ReminderKind(
                "tenthings.overdue",
                _("十件实事：节点或任务逾期"),
                roles=("tenthings_reporter", "tenthings_verifier", "leader"),
            ),
            ReminderKind("tenthings.digest", _("十件实事：领导周报"), roles=("leader",)),
            ReminderKind("tenthings.report_returned", _("十件实事：填报退回"), roles=("tenthings_reporter",)),
            ReminderKind("tenthings.report_verified", _("十件实事：关注事项有新进展")),
            ReminderKind("tenthings.report_submitted", _("十件实事：有填报待核实"), roles=("tenthings_verifier",)),
            ReminderKind("tenthings.my_report_verified", _("十件实事：我的填报已核实"), roles=("tenthings_reporter",)),
        ]

    def home_panel(self, request):
        from .selectors import plan_current, plan_progress

        plan = plan_current()
        if plan is None:
            return None
        return Panel("tenthings/panel_home.html", {"progress": plan_progress(plan, cached_metrics=True)}, order=20)

    def me_panel(self, request):
        from .selectors import items_of_user

        if not request.user.is_authenticated:
            return None
        mine = items_of_user(request.user)
        if not mine["responsible"] and not mine["following"]:
            return None
        return Panel("tenthings/panel_me.html", mine, order=20)
