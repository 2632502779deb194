from django.utils.translation import gettext_lazy as _

from apps.core.contract import Metric, NavLink, Panel, PortalAppConfig, ReminderKind, Role

OFFICER_PERMISSIONS = (
    "benefits.view_programme",
    "benefits.add_programme",
    "benefits.change_programme",
    "benefits.run_allocation",
    "benefits.view_rule",
    "benefits.add_rule",
    "benefits.change_rule",
    "benefits.delete_rule",
    "benefits.view_slot",
    "benefits.add_slot",
    "benefits.change_slot",
    "benefits.view_application",
    "benefits.view_providerstaff",
    "benefits.add_providerstaff",
    "benefits.change_providerstaff",
    "benefits.delete_providerstaff",
)


def _delivered(kind):
    def compute(year):
        from .figures import delivered

        return delivered(kind, year)

    return compute


def _new_form(year):
    from .figures import new_form_delivered

    return new_form_delivered(year)


class BenefitsConfig(PortalAppConfig):
    name = "apps.benefits"
    verbose_name = _("普惠服务")
    public_pages = ("benefits:catalogue", "benefits:programme")
    public_models = ("benefits.Programme", "benefits.Rule", "benefits.Slot")
    demo_module = "demo"

    def nav_links(self):
        return [
            NavLink(_("普惠服务"), "benefits:catalogue", order=47, icon="惠"),
            NavLink(_("普惠管理"), "benefits:manage", order=147, role="benefits_officer"),
            NavLink(_("普惠签到"), "benefits:provider", order=148, role="benefits_provider"),
        ]

    def roles(self):
        return [
            Role("benefits_officer", _("普惠服务专员"), OFFICER_PERMISSIONS, staff=True, landing="benefits:manage"),
            Role("benefits_provider", _("普惠服务机构人员"), (), landing="benefits:provider"),
        ]

    def reminder_kinds(self):
        return [ReminderKind("benefits.appointment", _("普惠服务预约提醒"), channels=("wechat", "sms", "email"))]

    def metrics(self):
        from .models import Kind

        found = [
            Metric(f"benefits.{kind}.delivered", _("%(kind)s完成人数") % {"kind": label}, _("名"), _delivered(kind))
            for kind, label in Kind.choices
        ]
        found.append(
            Metric("benefits.new_form_delivered", _("普惠服务惠及新就业形态劳动者（按人去重）"), _("名"), _new_form)
        )
        return found

    def me_panel(self, request):
        from .selectors import my_benefits

        user = request.user
        if not user.is_authenticated:
            return None
        rows = my_benefits(user)
        if not rows:
            return None
        return Panel("benefits/panel_me.html", {"rows": rows}, order=46)

    def dashboard_figures(self, year):
        from .figures import figure_group

        return figure_group(year)

    def consents(self, user):
        from .services.apply import health_consents_of

        return health_consents_of(user)

    def consent_withdraw(self, user, key):
        from .services.apply import health_consent_withdraw

        health_consent_withdraw(user, key)

    def personal_data(self, user):
        from .models import Application

        rows = [
            {
                "reference": a.reference,
                "programme": a.programme.name,
                "state": a.enrolment.get_state_display(),
                "applied_at": a.created_at.isoformat(),
                "slot": str(a.slot or ""),
            }
            for a in Application.objects.filter(person=user).select_related("programme", "enrolment", "slot")
        ]
        return {_("普惠服务申请"): rows} if rows else {}
