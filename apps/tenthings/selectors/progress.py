"""Progress of a plan and its items: verified figures summed in the database per indicator, linked
metrics computed once per key, each status from the one completion rule."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.pagecache import public_fragment

from ..completion import (
    ONE,
    ZERO,
    Status,
    as_of_date,
    due_missed,
    format_number,
    indicator_completion,
    is_stale,
    percent_floor,
    stale_label,
    status_for,
    weighted_mean,
    year_closed,
    year_elapsed,
)
from ..models import (
    Indicator,
    Item,
    Plan,
    ProgressReport,
)

STATUS_CSS = {
    Status.DONE: "done",
    Status.NORMAL: "normal",
    Status.BEHIND: "behind",
    Status.SEVERE: "severe",
    Status.OVERDUE: "severe",
    Status.UNFINISHED: "severe",
}
# Lagging first on the dashboard: unfinished, overdue, severe, behind, then stale-but-normal, normal, done.
STATUS_RANK = {
    Status.UNFINISHED: 0,
    Status.OVERDUE: 0,
    Status.SEVERE: 0,
    Status.BEHIND: 1,
    Status.NORMAL: 3,
    Status.DONE: 4,
}
# The statuses a plan can show while its year runs, and once it is over.
RUNNING_STATUSES = (Status.DONE, Status.NORMAL, Status.BEHIND, Status.SEVERE, Status.OVERDUE)
CLOSED_STATUSES = (Status.DONE, Status.UNFINISHED)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    actual: Decimal
    done: bool
    completion: Decimal
    linked: bool
    demo_reports: int = 0
    # Its due date passed (as of the day the year is judged on) and it is not met.
    overdue: bool = False

    @property
    def figure(self) -> str:
        """'22 / 不少于 20 场' for a quantity (the comparator with the target), '已完成' / '未完成'
        for a milestone."""
        ind = self.indicator
        if ind.is_milestone:
            return str(_("已完成")) if self.done else str(_("未完成"))
        return f"{format_number(self.actual)} / {ind.target_label}".strip()

    @property
    def met(self) -> bool:
        return self.completion >= ONE

    @property
    def due_date(self):
        return self.indicator.due_date

    @property
    def overdue_label(self) -> str:
        """'逾期（截止 2026-06-30）' for a missed due date, '' otherwise."""
        if not self.overdue:
            return ""
        return _("逾期（截止 %(date)s）") % {"date": f"{self.indicator.due_date:%Y-%m-%d}"}

    @property
    def percent_int(self) -> int:
        return percent_floor(self.completion)


@dataclass
class ItemProgress:
    item: Item
    indicators: list[IndicatorProgress]
    completion: Decimal
    status: Status
    stale: bool
    last_verified: datetime.date | None
    url: str = ""

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status]

    @property
    def overdue_rows(self) -> list[IndicatorProgress]:
        """Its indicators whose due date passed unmet (shown with their dates)."""
        return [row for row in self.indicators if row.overdue]

    @property
    def overdue_since(self) -> datetime.date | None:
        """The earliest missed due date, if any."""
        dates = [row.indicator.due_date for row in self.overdue_rows]
        return min(dates) if dates else None

    @property
    def unassigned(self) -> bool:
        """No responsible person: nobody is asked for reports (flagged as 未指定责任人)."""
        return self.item.responsible_id is None

    @property
    def demo(self) -> bool:
        """Some of its verified figures are invented demo records."""
        return any(row.demo_reports for row in self.indicators)

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def percent_int(self) -> int:
        return percent_floor(self.completion)

    @property
    def lagging(self) -> bool:
        return self.status in (Status.BEHIND, Status.SEVERE, Status.OVERDUE, Status.UNFINISHED)

    @property
    def stale_label(self) -> str:
        return stale_label()


@dataclass
class PlanProgress:
    plan: Plan
    as_of: datetime.date
    elapsed: Decimal
    items: list[ItemProgress]
    completion: Decimal
    status: Status
    status_counts: dict = field(default_factory=dict)
    stale_count: int = 0
    # The year is closed (from 00:00 on 1 January after it): items are 已完成 or 未完成.
    closed: bool = False

    @property
    def stale_label(self) -> str:
        return stale_label()

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status]

    @property
    def percent_int(self) -> int:
        return percent_floor(self.completion)

    @property
    def elapsed_percent_int(self) -> int:
        return percent_floor(self.elapsed)

    @property
    def unassigned_count(self) -> int:
        return sum(1 for p in self.items if p.unassigned)

    @property
    def demo(self) -> bool:
        return any(p.demo for p in self.items)

    def status_rows(self) -> list[dict]:
        shown = CLOSED_STATUSES if self.closed else RUNNING_STATUSES
        return [
            {"status": s, "label": s.label, "css": STATUS_CSS[s], "count": self.status_counts.get(s, 0)} for s in shown
        ]


def _items_queryset(plan: Plan):
    return Item.objects.filter(plan=plan).select_related("lead_unit", "responsible").order_by("number")


def _indicators_with_figures(**filters):
    """Indicators with their verified figures summed by the database, in one grouped query:
    ``v_total`` (sum of amounts), ``v_done`` (milestone reports), ``v_last`` (latest report date)
    and ``v_demo`` (demo reports)."""
    verified = Q(reports__status=ProgressReport.Status.VERIFIED)
    return (
        Indicator.objects.filter(**filters)
        .annotate(
            v_total=Sum("reports__amount", filter=verified),
            v_done=Count("reports", filter=verified & Q(reports__milestone_done=True)),
            v_last=Max("reports__reported_on", filter=verified),
            v_demo=Count("reports", filter=verified & Q(reports__is_demo=True)),
        )
        .order_by("item_id", "sort_order", "id")
    )


# Linked metrics are other apps' yearly counts (one query or more each). Public pages take them
# from the cache for this long; the dashboard, the services and the reminders compute them fresh.
METRIC_CACHE_SECONDS = 60


def metric_values(keys, year: int, *, cached: bool = False) -> dict[str, Decimal | None]:
    """Each linked metric computed once for the page, whatever the number of indicators using it."""
    keys = sorted(set(keys))
    if not cached:
        return {key: registry.metric_value(key, year) for key in keys}
    # Shared like every public fragment (apps/core/pagecache.py), and for at most a minute: the
    # counts behind a metric are often records no public page shows, whose writes bump nothing.
    return {
        key: public_fragment(
            f"tenthings-metric:{year}:{key}",
            lambda key=key: registry.metric_value(key, year),
            seconds=METRIC_CACHE_SECONDS,
        )
        for key in keys
    }


def _verified_figures(indicator_ids) -> dict[int, dict]:
    rows = (
        ProgressReport.objects.verified()
        .filter(indicator_id__in=indicator_ids)
        .values("indicator_id")
        .annotate(
            total=Sum("amount"),
            done=Count("id", filter=Q(milestone_done=True)),
            last=Max("reported_on"),
            demo=Count("id", filter=Q(is_demo=True)),
        )
    )
    return {row["indicator_id"]: row for row in rows}


def items_progress(
    plan: Plan,
    items: list[Item],
    *,
    as_of: datetime.date,
    elapsed: Decimal,
    indicators: list[Indicator] | None = None,
    cached_metrics: bool = False,
    closed: bool | None = None,
) -> list[ItemProgress]:
    """Completion, status and staleness of items. ``indicators`` are those of the items as
    ``_indicators_with_figures`` gives them (fetched here, in one query, when not given)."""
    if indicators is None:
        indicators = list(_indicators_with_figures(item__in=[item.pk for item in items])) if items else []
    by_item: dict[int, list[Indicator]] = defaultdict(list)
    for ind in indicators:
        by_item[ind.item_id].append(ind)
    linked = metric_values([ind.metric_key for ind in indicators if ind.metric_key], plan.year, cached=cached_metrics)
    since = plan.voted_on or datetime.date(plan.year, 1, 1)
    # The item pages' address, reversed once: "/ten-things/2024/" + "3/".
    year_url = reverse("tenthings:year", args=[plan.year])
    if closed is None:
        closed = year_closed(plan.year, timezone.localdate())
    result = []
    for item in items:
        rows = []
        last = None
        for ind in by_item.get(item.pk, ()):
            if ind.v_last and (last is None or ind.v_last > last):
                last = ind.v_last
            metric_value = linked.get(ind.metric_key) if ind.metric_key else None
            is_linked = metric_value is not None
            actual = metric_value if is_linked else (ind.v_total or ZERO)
            done = bool(ind.v_done)
            completion = indicator_completion(
                actual=actual, target=ind.target, milestone=ind.is_milestone, done=done, comparator=ind.comparator
            )
            overdue = due_missed(met=completion >= ONE, due=ind.due_date, as_of=as_of)
            rows.append(
                IndicatorProgress(
                    ind, max(actual, ZERO), done, completion, is_linked, demo_reports=ind.v_demo, overdue=overdue
                )
            )
        completion = weighted_mean((row.completion, row.indicator.weight) for row in rows)
        status = status_for(completion, elapsed, closed=closed, overdue=any(row.overdue for row in rows))
        # An item whose every figure is computed by another app is never waiting for a report.
        all_linked = bool(rows) and all(row.linked for row in rows)
        stale = not all_linked and is_stale(last_verified=last, since=since, as_of=as_of, done=status == Status.DONE)
        result.append(ItemProgress(item, rows, completion, status, stale, last, f"{year_url}{item.number}/"))
    return result


def plan_progress(plan: Plan, *, today: datetime.date | None = None, cached_metrics: bool = False) -> PlanProgress:
    """Everything the year page, the home panel and the dashboard show about a plan: two queries
    (items; indicators with their verified figures) plus the linked metrics."""
    today = today or timezone.localdate()
    as_of = as_of_date(plan.year, today)
    elapsed = year_elapsed(plan.year, as_of)
    closed = year_closed(plan.year, today)
    items = list(_items_queryset(plan))
    for item in items:
        item.plan = plan
    indicators = list(_indicators_with_figures(item__plan=plan)) if items else []
    progress = items_progress(
        plan, items, as_of=as_of, elapsed=elapsed, indicators=indicators, cached_metrics=cached_metrics, closed=closed
    )
    completion = weighted_mean((p.completion, p.item.weight) for p in progress)
    counts = defaultdict(int)
    for p in progress:
        counts[p.status] += 1
    return PlanProgress(
        plan=plan,
        as_of=as_of,
        elapsed=elapsed,
        items=progress,
        completion=completion,
        status=status_for(completion, elapsed, closed=closed),
        status_counts=dict(counts),
        stale_count=sum(1 for p in progress if p.stale),
        closed=closed,
    )
