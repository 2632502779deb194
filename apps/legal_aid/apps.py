from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.contract import Metric, NavLink, Panel, PortalAppConfig, ReminderKind, Role

PRIVATE_MODELS = (
    "consultation",
    "attachment",
    "callbackattempt",
    "disputecase",
    "caseapplicant",
    "casesession",
    "casedocument",
    "caseevent",
    "conflictcheck",
)
PUBLIC_MODELS = (
    "legalstation",
    "stationpartner",
    "stationmember",
    "lawyerprofile",
    "rotatemplate",
    "dutyshift",
    "shiftswap",
    "ledgerentry",
    "legalevent",
    "eventinvitee",
)


def _triage_badge(user):
    from .selectors import triage_count

    return triage_count(user)


class LegalAidConfig(PortalAppConfig):
    name = "apps.legal_aid"
    verbose_name = _("法律维权")
    public_pages = ("legal_aid:index", "legal_aid:station", "legal_aid:events", "legal_aid:event")
    public_models = (
        "legal_aid.LegalStation",
        "legal_aid.StationPartner",
        "legal_aid.StationMember",
        "legal_aid.LawyerProfile",
        "legal_aid.DutyShift",
        "legal_aid.LedgerEntry",
        "legal_aid.LegalEvent",
        # Event pages show places taken and waiting (the enrolment engine keeps them on the roster).
        "enrolment.Roster",
        # Not shown themselves, but counted on public pages: bookings fill a shift's slots, item 9's figures, invitees.
        "legal_aid.Consultation",
        "legal_aid.EventInvitee",
    )

    def nav_links(self):
        return [
            NavLink(_("法律维权"), "legal_aid:index", order=30, icon="法"),
            NavLink(_("我的值班"), "legal_aid:duty", order=130, role="lawyer"),
            NavLink(_("我的调解"), "legal_aid:mediation", order=131, role="mediator"),
            NavLink(_("咨询分派"), "legal_aid:triage", order=132, role="legal_officer", badge=_triage_badge),
        ]

    def roles(self):
        officer = [f"legal_aid.{action}_{model}" for model in PUBLIC_MODELS for action in ("view", "add", "change")]
        officer += [f"legal_aid.{action}_{model}" for model in PRIVATE_MODELS for action in ("view", "change")]
        officer += [
            "legal_aid.view_legalaidaudit",
            "legal_aid.view_private_records",
            "legal_aid.triage_consultation",
            "legal_aid.delete_rotatemplate",
            "legal_aid.delete_stationmember",
            "legal_aid.delete_eventinvitee",
        ]
        return [
            Role("lawyer", _("值班律师"), ("legal_aid.view_dutyshift",), landing="legal_aid:duty"),
            Role("legal_officer", _("法律工作部"), tuple(officer), staff=True, landing="legal_aid:triage"),
            Role("mediator", _("调解员"), ("legal_aid.view_legalstation",), landing="legal_aid:mediation"),
        ]

    def role_grants(self):
        # Leaders read aggregates on the dashboard; in the admin they see only public, nameless tables.
        return {"leader": ["legal_aid.view_legalstation", "legal_aid.view_legalevent"]}

    def reminder_kinds(self):
        return [
            ReminderKind("legal_aid.assigned", _("法律咨询分派"), roles=("lawyer", "legal_officer")),
            ReminderKind("legal_aid.answered", _("法律咨询已答复"), channels=("wechat", "sms", "email")),
            ReminderKind("legal_aid.shift", _("律师值班提醒"), roles=("lawyer",)),
            ReminderKind("legal_aid.appointment", _("法律咨询预约提醒"), channels=("wechat", "sms", "email")),
            ReminderKind("legal_aid.callback", _("回拨提醒"), channels=("wechat", "sms", "email"), roles=("lawyer",)),
            ReminderKind("legal_aid.overdue", _("法律咨询超期"), roles=("lawyer", "legal_officer")),
            ReminderKind(
                "legal_aid.case_clock", _("调解案件期限"), channels=("wechat", "sms", "email"), roles=("mediator",)
            ),
            ReminderKind("legal_aid.ledger", _("服务台账月报"), roles=("legal_officer", "leader")),
        ]

    def consents(self, user):
        from .services.consents import consents_of

        return consents_of(user)

    def consent_withdraw(self, user, key):
        from .services.consents import HEALTH, health_consent_withdraw

        if key != HEALTH:
            raise LookupError(key)
        health_consent_withdraw(user)

    def metrics(self):
        from . import selectors

        return [
            Metric(
                "legal_aid.grassroots_stations",
                _("基层工会法律服务站（开放）"),
                pgettext_lazy("legal stations", "个"),
                selectors.metric_grassroots_stations,
            ),
            Metric("legal_aid.events_held", _("法治宣传活动（已举办）"), _("场"), selectors.metric_events_held),
            Metric("legal_aid.people_served", _("法律服务职工（服务台账）"), _("名"), selectors.metric_people_served),
            Metric(
                "legal_aid.new_form_served", _("法律服务新就业形态劳动者"), _("名"), selectors.metric_new_form_served
            ),
        ]

    def home_panel(self, request):
        from .selectors import home_panel_context

        return Panel("legal_aid/panel_home.html", home_panel_context(), order=30)

    def me_panel(self, request):
        from .selectors import me_panel_context

        context = me_panel_context(request.user)
        return Panel("legal_aid/panel_me.html", context, order=30) if context else None

    def dashboard_figures(self, year):
        from .selectors import dashboard_figure_group

        return dashboard_figure_group(year)

    def sitemaps(self):
        from .sitemaps import sitemaps

        return sitemaps

    def demo_load(self, stdout):
        from .demo import load

        load(stdout)
