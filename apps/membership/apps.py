from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.contract import (
    Figure,
    FigureGroup,
    Metric,
    NavLink,
    Panel,
    PersonFact,
    PortalAppConfig,
    ReminderKind,
    Role,
)

DECIDE = "membership.decide_application"
STAFF_ROLES = ("union_staff", "membership_officer")

# The counts of new-form workers served that each app offers (item 10's 新业态服务 is their sum).
NEW_FORM_SERVED_METRICS = (
    "legal_aid.new_form_served",
    "activities.new_form_attended",
    "benefits.new_form_delivered",
    "membership.new_form_joined",
)


def _queue_badge(user):
    from .selectors import queue_count

    return queue_count(user)


class MembershipConfig(PortalAppConfig):
    name = "apps.membership"
    verbose_name = _("入会与会员")
    demo_module = "demo"

    def nav_links(self):
        return [
            NavLink(_("我要入会"), "membership:join", order=45, icon="会"),
            # Role names, not the permission: a permission check costs two queries on every page.
            NavLink(_("入会审核"), "membership:queue", order=150, role=STAFF_ROLES, badge=_queue_badge),
            NavLink(_("会员名册"), "membership:members", order=151, role=STAFF_ROLES, tile=False),
        ]

    def roles(self):
        officer = [
            f"membership.{a}_{m}"
            for m in ("application", "member", "transfer", "unionsetuprequest")
            for a in ("view", "change")
        ]
        officer += [
            DECIDE,
            "membership.view_ledgerentry",
            "membership.import_roll",
            "core.view_organization",
            "core.add_organization",
            "core.change_organization",
            "core.view_unionstaff",
            "core.add_unionstaff",
            "core.delete_unionstaff",
        ]
        return [
            Role("union_staff", _("基层工会工作人员"), (DECIDE,), landing="membership:queue"),
            Role("membership_officer", _("基层工作部（会员）"), tuple(officer), staff=True, landing="membership:queue"),
        ]

    def reminder_kinds(self):
        return [
            ReminderKind("membership.application", _("入会申请进度"), channels=("wechat", "sms", "email")),
            ReminderKind("membership.transfer", _("会籍接转进度"), channels=("wechat", "sms", "email")),
            ReminderKind("membership.queue", _("待办入会与接转"), roles=("union_staff", "membership_officer")),
            ReminderKind("membership.setup", _("建会申请"), roles=("union_staff", "membership_officer")),
        ]

    def me_panel(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        from . import selectors

        mine = selectors.my_membership(user)
        waiting = selectors.queue_count(user) if user.has_perm(DECIDE) else None
        return Panel("membership/panel_me.html", {"mine": mine, "waiting": waiting}, order=20)

    def person_fact_kinds(self):
        return [
            PersonFact("member", _("工会会员（会籍有效，含接转中）")),
            PersonFact("union_id", _("所在工会")),
            PersonFact("union_ids", _("所在工会及其上级工会")),
            PersonFact("member_since", _("入会日期")),
            PersonFact("member_number", _("会员编号")),
            PersonFact("occupation_group", _("职业类别：新就业形态（new_form）或其他（other）")),
        ]

    def person_facts(self, user):
        from apps.accounts.models import NEW_FORM_OCCUPATIONS

        from .models import Member

        member = Member.objects.select_related("union__parent__parent").filter(person=user).first()
        current = member is not None and member.is_current
        occupation = (member.occupation if member else "") or user.occupation
        union_ids = []
        if current:
            union, seen = member.union, set()
            while union is not None and union.pk not in seen:
                seen.add(union.pk)
                union_ids.append(union.pk)
                union = union.parent  # a few levels (grassroots → town → city)
        return {
            "member": current,
            "union_id": member.union_id if current else None,
            "union_ids": union_ids,
            "member_since": member.since if current else None,
            "member_number": member.number if current else None,
            "occupation_group": ("new_form" if occupation in NEW_FORM_OCCUPATIONS else "other") if occupation else None,
        }

    def metrics(self):
        from . import selectors

        return [
            Metric("membership.new_form_joined", _("新就业形态劳动者入会"), _("名"), selectors.metric_new_form_joined),
            Metric("membership.joined", _("职工入会（当年）"), _("名"), selectors.joined_in_year),
            Metric(
                "membership.new_form_served_all",
                _("新业态服务（各项服务合计）"),
                pgettext_lazy("people served", "人次"),
                new_form_served_all,
            ),
        ]

    def dashboard_figures(self, year):
        from django.urls import reverse

        from apps.core.registry import metric_target
        from apps.core.status import figure_status

        from . import selectors
        from .services import decision_days

        joined_new = selectors.metric_new_form_joined(year)
        target = metric_target("membership.new_form_joined", year)
        within, decided = selectors.decided_within_deadline(year)
        median = selectors.median_days_to_decision(year)
        served = new_form_served_all(year)
        served_target = metric_target("membership.new_form_served_all", year)
        figures = (
            Figure(
                "members",
                _("会员（会籍有效）"),
                selectors.members_current_count(),
                _("名"),
                link=reverse("membership:members"),
                definition=_("现有会籍有效的会员，含接转中的，不含已退会的"),
            ),
            Figure(
                "joined",
                _("当年入会"),
                selectors.joined_in_year(year),
                _("名"),
                definition=_("当年入会或重新入会的人数（门户审核通过与花名册导入），同一人计一次"),
            ),
            Figure(
                "new_form_joined",
                _("新就业形态劳动者入会"),
                joined_new,
                _("名"),
                target=target,
                status=figure_status(joined_new, target, year=year),
                definition=_(
                    "当年入会的会员中职业为快递员、外卖配送员、网约车司机、货车司机、网络主播、家政服务员的人数"
                ),
            ),
            Figure(
                "within_deadline",
                _("按期办结率"),
                round(within * 100 / decided) if decided else None,
                "%",
                definition=_(
                    "当年办结的入会申请中，在办理期限（提交后 %(days)s 个工作日）内办结的比例；共办结 %(n)s 份"
                )
                % {"n": decided, "days": decision_days()},
            ),
            Figure(
                "median_days",
                _("办结用时中位数"),
                median,
                _("个工作日"),
                definition=_("当年办结的入会申请，从提交到办结经过的工作日数的中位数"),
            ),
            Figure(
                "new_form_served",
                _("新业态服务（合计）"),
                served,
                pgettext_lazy("people served", "人次"),
                target=served_target,
                status=figure_status(served, served_target, year=year),
                definition=_(
                    "各应用各自统计的新就业形态劳动者服务人数相加：法律服务台账、新业态暖心服务活动签到、"
                    "普惠服务完成、当年入会；各项内部按人去重，项与项之间无法去重"
                ),
            ),
        )
        tables = (
            (_("会员按工会"), tuple(selectors.members_by("union_id", "union__name")[:20])),
            (_("会员按职业"), tuple(_occupation_rows(selectors))),
            (
                _("会员按乡镇/街道"),
                tuple((name or _("未填"), n) for name, n in selectors.members_by("town_id", "town__name")),
            ),
            (_("建会申请按状态"), tuple((str(label), n) for label, n in selectors.setup_requests_by_state(year))),
        )
        return FigureGroup("membership", _("入会与会员"), figures, order=45, tables=tables)

    def demo_load(self, stdout):
        from .demo import load

        load(stdout)


def _occupation_rows(selectors):
    from apps.accounts.models import Occupation

    labels = dict(Occupation.choices)
    return [(str(labels.get(key, _("未填"))), n) for key, n in selectors.members_by("occupation")]


def new_form_served_all(year: int):
    """Item 10's 新业态服务: the new-form workers each installed app says it served, summed."""
    from decimal import Decimal

    from apps.core.registry import metric_value

    total = Decimal("0")
    for key in NEW_FORM_SERVED_METRICS:
        value = metric_value(key, year)
        if value is not None:
            total += value
    return int(total)
