from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.contract import Figure, FigureGroup, NavLink, Panel, PortalAppConfig, ReminderKind, Role

MANAGE = "assistance.manage_requests"


def _queue_badge(user):
    from .selectors import queue_count

    return queue_count(user)


class AssistanceConfig(PortalAppConfig):
    name = "apps.assistance"
    verbose_name = _("帮扶援助")
    demo_module = "demo"

    def nav_links(self):
        return [
            NavLink(_("帮扶援助"), "assistance:index", order=40, icon="帮"),
            # Caseworkers are union staff (per union); the queue shows only their unions' cases.
            NavLink(
                _("帮扶办理"),
                "assistance:queue",
                order=152,
                role=("assistance_officer", "union_staff"),
                badge=_queue_badge,
                tile=False,
            ),
        ]

    def roles(self):
        models = ("helprequest", "homevisit", "ledgerentry", "objection", "document", "event")
        officer = [f"assistance.view_{model}" for model in models]
        officer += ["assistance.change_helprequest", "assistance.add_ledgerentry", MANAGE]
        return [Role("assistance_officer", _("帮扶中心"), tuple(officer), staff=True, landing="assistance:queue")]

    def reminder_kinds(self):
        return [
            # A decision on a request matters enough for SMS; the queue and re-checks are staff work.
            ReminderKind("assistance.progress", _("帮扶申请进度"), channels=("wechat", "sms", "email")),
            ReminderKind("assistance.queue", _("待办帮扶申请"), roles=("union_staff", "assistance_officer")),
            ReminderKind("assistance.recheck", _("帮扶对象年度复核"), roles=("union_staff", "assistance_officer")),
        ]

    def me_panel(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        from .selectors import my_requests, queue_count
        from .services import is_officer

        mine = list(my_requests(user)[:5])
        waiting = queue_count(user)
        if not mine and not waiting and not is_officer(user):
            return None
        return Panel("assistance/panel_me.html", {"mine": mine, "waiting": waiting}, order=35)

    def personal_data(self, user):
        from .models import HelpRequest

        rows = [
            {
                "number": hr.pk,
                "state": hr.get_state_display(),
                "applicant_name": hr.applicant_name,
                "phone": hr.phone,
                "household_size": hr.household_size,
                "household_members": hr.household_members,
                "income_band": hr.get_income_band_display(),
                "reason": hr.get_reason_display(),
                "story": hr.story,
                "asked_help": hr.get_asked_help_display(),
                "submitted_at": hr.submitted_at.isoformat() if hr.submitted_at else "",
                "band": hr.get_band_display(),
                "help_given": str(sum((row.amount for row in hr.ledger.all()), 0)),
            }
            for hr in HelpRequest.objects.filter(applicant=user).prefetch_related("ledger")
        ]
        return {_("帮扶申请"): rows} if rows else {}

    def personal_data_erase(self, user):
        """The case, its ledger and the figures stay; the person's name, phone, story and papers go."""
        from .models import Document, HelpRequest

        requests = HelpRequest.objects.filter(applicant=user)
        for document in Document.objects.filter(request__in=requests):
            document.file.delete(save=False)
        Document.objects.filter(request__in=requests).delete()
        requests.filter(state="draft").delete()
        requests.update(applicant_name="（已注销）", phone="", household_members="", story="", employer_name="")

    def dashboard_figures(self, year):
        from .models import Band, HelpRequest
        from .selectors import figures

        found = figures(year)
        by_state = tuple((label, found["by_state"].get(value, 0)) for value, label in HelpRequest.State.choices[1:])
        by_band = tuple((label, found["by_band"].get(value, 0)) for value, label in Band.choices)
        return FigureGroup(
            "assistance",
            _("帮扶援助"),
            (
                Figure(
                    "requests",
                    _("帮扶申请"),
                    found["submitted"],
                    pgettext_lazy("requests", "件"),
                    definition=_("当年提交的帮扶申请（不含草稿）"),
                ),
                Figure(
                    "help_count",
                    _("帮扶发放"),
                    found["help_count"],
                    pgettext_lazy("payments", "笔"),
                    definition=_("当年发放台账的笔数（冲正的不计）"),
                ),
                Figure(
                    "help_amount",
                    _("帮扶金额"),
                    found["help_amount"],
                    _("元"),
                    definition=_("当年发放台账金额合计（含冲正）"),
                ),
                Figure(
                    "median_days",
                    _("提交至决定（中位数）"),
                    found["median_days"],
                    _("天"),
                    definition=_("当年作出决定的申请，从提交到决定的自然日中位数"),
                ),
                Figure(
                    "families",
                    _("在册跟踪帮扶家庭"),
                    found["families"],
                    _("户"),
                    definition=_("已认定、尚未结案的帮扶对象家庭（今天）"),
                ),
                Figure(
                    "recheck_overdue",
                    _("年度复核超期"),
                    found["overdue"],
                    _("户"),
                    status="bad" if found["overdue"] else "",
                    definition=_("在册家庭中年度复核已过期的户数（今天）"),
                ),
            ),
            order=45,
            tables=((_("申请按状态"), by_state), (_("认定按困难类别"), by_band)),
        )
