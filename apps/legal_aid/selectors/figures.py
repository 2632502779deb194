"""Item 9's metrics and the dashboard figures of legal aid."""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core import registry
from apps.core.contract import Figure, FigureGroup
from apps.core.status import figure_status

from ..models import Consultation, DisputeCase, LedgerEntry, LegalEvent, LegalStation, Topic


def _year_end(year: int) -> datetime.date:
    today = timezone.localdate()
    end = datetime.date(year, 12, 31)
    return min(end, today) if year == today.year else end


def grassroots_stations_on(day: datetime.date):
    """The one definition of the grassroots legal stations counted anywhere (/legal/, item 9, the
    dashboard): opened by that day, not planned, not closed by then (open or suspended) — and a
    station marked closed without its closing date does not count as open."""
    return (
        LegalStation.objects.filter(kind=LegalStation.Kind.GRASSROOTS)
        .open_on(day)
        .exclude(status=LegalStation.Status.CLOSED, closed_on__isnull=True)
    )


def metric_grassroots_stations(year: int) -> int:
    """Grassroots stations open at the end of the year (today for the current year)."""
    return grassroots_stations_on(_year_end(year)).count()


def metric_events_held(year: int) -> int:
    """Legal education events held in the year."""
    return LegalEvent.objects.filter(status=LegalEvent.Status.HELD, starts_at__year=year).count()


def metric_people_served(year: int) -> int:
    """People served in the year per the service ledger."""
    return LedgerEntry.objects.filter(date__year=year).aggregate(n=Sum("people"))["n"] or 0


def metric_new_form_served(year: int) -> int:
    return LedgerEntry.objects.filter(date__year=year).aggregate(n=Sum("new_form_people"))["n"] or 0


def dashboard_figure_group(year: int) -> FigureGroup:
    """Item 9's figures and the consultation / case breakdowns: ten queries whatever the data.

    Targets come from that year's plan (the indicators linked to these metrics); a figure whose
    metric no indicator links shows no target and no status.
    """
    targets = registry.metric_targets(year)  # one read of the plan for the three item-9 targets

    def against_plan(key: str, value) -> dict:
        target = targets.get(f"legal_aid.{key}")
        return {"target": target, "status": figure_status(value, target, year=year)}

    stations = metric_grassroots_stations(year)
    events = metric_events_held(year)
    ledger = LedgerEntry.objects.filter(date__year=year).aggregate(p=Sum("people"), n=Sum("new_form_people"))
    people, new_form = ledger["p"] or 0, ledger["n"] or 0
    in_year = Consultation.objects.filter(created_at__year=year)
    by_topic = dict(in_year.order_by().values_list("topic").annotate(n=Count("pk")))
    by_status = dict(in_year.order_by().values_list("status").annotate(n=Count("pk")))
    responses = in_year.filter(first_response_at__isnull=False).values_list("created_at", "first_response_at")
    hours = [(answered - asked).total_seconds() / 3600 for asked, answered in responses]
    median = round(statistics.median(hours), 1) if hours else None
    cases = DisputeCase.objects.filter(applied_on__year=year)
    by_stage = dict(cases.order_by().values_list("stage").annotate(n=Count("pk")))
    money = cases.aggregate(
        claimed=Sum("amount_claimed"),
        agreed=Sum("amount_agreed"),
        recovered=Sum("amount_recovered"),
        settled=Count("pk", filter=Q(settled_on__isnull=False)),
        decided=Count(
            "pk",
            filter=Q(settled_on__isnull=False)
            | Q(stage__in=["failed", "arbitration", "litigation"])
            | Q(stage="closed", outcome__in=["arbitrated", "judged"]),
        ),
    )
    rate = round(money["settled"] * 100 / money["decided"]) if money["decided"] else None
    zero = Decimal("0")
    figures = (
        Figure(
            "grassroots_stations",
            _("基层工会法律服务站"),
            stations,
            pgettext_lazy("legal stations", "个"),
            **against_plan("grassroots_stations", stations),
            definition=_("年末（当年为今天）处于开放或暂停状态的基层工会法律服务站，每个乡镇/街道至多一个"),
        ),
        Figure(
            "events_held",
            _("法治宣传活动"),
            events,
            _("场"),
            **against_plan("events_held", events),
            definition=_("该年登记为“已举办”的法治宣传、以案普法、实景课堂和送法进企业活动场次"),
        ),
        Figure(
            "people_served",
            _("法律服务职工"),
            people,
            _("名"),
            **against_plan("people_served", people),
            definition=_("该年服务台账的服务人数合计（已答复的咨询自动计入一次，到站、电话、入企、活动由站点登记）"),
        ),
        Figure(
            "new_form_served",
            _("其中新就业形态劳动者"),
            new_form,
            _("名"),
            definition=_("该年服务台账中新就业形态劳动者（外卖、快递、网约车、货车司机等）人数合计"),
        ),
        Figure(
            "median_first_response",
            _("首次响应时间中位数"),
            median,
            _("小时"),
            definition=_("该年提交的咨询中，从提交到首次回拨或答复的时间的中位数（尚未响应的不计）"),
        ),
        Figure(
            "settlement_rate",
            _("调解成功率"),
            rate,
            "%",
            definition=_("该年受理的案件中，调解成功的件数占已有调解结果（成功或不成）件数的比例"),
        ),
        Figure(
            "amount_claimed",
            _("请求金额"),
            money["claimed"] or zero,
            _("元"),
            definition=_("该年受理的调解案件请求金额合计"),
        ),
        Figure(
            "amount_agreed",
            _("协议金额"),
            money["agreed"] or zero,
            _("元"),
            definition=_("该年受理、调解成功的案件调解协议约定金额合计"),
        ),
        Figure(
            "amount_recovered",
            _("挽回金额"),
            money["recovered"] or zero,
            _("元"),
            definition=_("该年受理、已结案的案件为职工实际挽回的金额合计"),
        ),
    )
    tables = (
        (_("咨询按问题类型"), tuple((label, by_topic.get(code, 0)) for code, label in Topic.choices)),
        (_("咨询按状态"), tuple((label, by_status.get(code, 0)) for code, label in Consultation.Status.choices)),
        (_("调解案件按阶段"), tuple((label, by_stage.get(code, 0)) for code, label in DisputeCase.Stage.choices)),
    )
    return FigureGroup("legal_aid", _("法律维权"), figures, order=50, tables=tables)
