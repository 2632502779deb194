"""Progress of a plan and its items: verified figures summed in the database per indicator, linked
metrics computed once per key, each status from the one completion rule."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.pagecache import public_fragment
from apps.core.status import grace_cutoff, grace_date, past_grace

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
    LinkedSnapshot,
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
    # A linked figure while the site holds demo records: it may rest on them.
    linked_demo: bool = False
    # A linked figure's latest verified snapshot: (value, day) or None.
    snapshot: tuple | None = None

    @property
    def demo(self) -> bool:
        return bool(self.demo_reports) or self.linked_demo

    @property
    def figure(self) -> str:
        """'22 / 不少于 20 场' for a quantity (the comparator with the target), '已完成' / '未完成'
        for a milestone."""
        ind = self.indicator
        if ind.is_milestone:
            return str(_("已完成")) if self.done else str(_("未完成"))
        return f"{format_number(self.actual)} / {ind.target_label}".strip()

    @property
    def source(self) -> str:
        """What a linked figure counts, and where from: the metric's own label."""
        if not self.indicator.metric_key:
            return ""
        metric = registry.metric_get(self.indicator.metric_key)
        return str(metric.label) if metric else self.indicator.metric_key

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
    # A closed year past its grace date: the 补报 since, and the completion with them counted.
    late_count: int = 0
    after_completion: Decimal | None = None

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status]

    @property
    def after_percent_int(self) -> int | None:
        return None if self.after_completion is None else percent_floor(self.after_completion)

    @property
    def all_linked(self) -> bool:
        """Every indicator is counted by another app: nobody reports on it by hand."""
        return bool(self.indicators) and all(row.indicator.metric_key for row in self.indicators)

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
        """Some of its figures rest on invented demo records (its reports, or a linked count
        while the site holds demo data)."""
        return any(row.demo for row in self.indicators)

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
    # After the grace date the headline is frozen as of it; later 补报 are shown beside it.
    frozen_on: datetime.date | None = None
    late_count: int = 0
    after_completion: Decimal | None = None

    @property
    def after_percent_int(self) -> int | None:
        return None if self.after_completion is None else percent_floor(self.after_completion)

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
    def has_linked(self) -> bool:
        return any(row.linked for p in self.items for row in p.indicators)

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


def _indicators_with_figures(cutoff: datetime.datetime | None = None, **filters):
    """Indicators with their verified figures summed by the database, in one grouped query:
    ``v_total`` (sum of amounts), ``v_done`` (milestone reports), ``v_last`` (latest report date)
    and ``v_demo`` (demo reports).

    With ``cutoff`` (the end of a closed year's grace date) the same figures as they stood then —
    ``f_total``, ``f_done``, ``f_last``, ``f_demo``: verified by the cutoff (a report without a
    verification time counts as in time) and not withdrawn by it — and ``late`` (the 补报 after
    it: reports verified or withdrawn later)."""
    S = ProgressReport.Status
    verified = Q(reports__status=S.VERIFIED)
    annotations = {
        "v_total": Sum("reports__amount", filter=verified),
        "v_done": Count("reports", filter=verified & Q(reports__milestone_done=True)),
        "v_last": Max("reports__reported_on", filter=verified),
        "v_demo": Count("reports", filter=verified & Q(reports__is_demo=True)),
    }
    # A linked indicator's latest verified snapshot (and, frozen, the latest by the grace date).
    snapshots = LinkedSnapshot.objects.filter(indicator=OuterRef("pk")).order_by("-taken_on", "-id")
    annotations.update(s_value=Subquery(snapshots.values("value")[:1]), s_on=Subquery(snapshots.values("taken_on")[:1]))
    if cutoff is not None:
        by_grace = snapshots.filter(taken_on__lt=cutoff.date())
        annotations.update(
            fs_value=Subquery(by_grace.values("value")[:1]), fs_on=Subquery(by_grace.values("taken_on")[:1])
        )
        in_time = Q(reports__reviewed_at__isnull=True) | Q(reports__reviewed_at__lt=cutoff)
        withdrawn_later = Q(reports__status=S.WITHDRAWN, reports__withdrawn_at__gte=cutoff)
        frozen = in_time & (verified | withdrawn_later)
        annotations.update(
            f_total=Sum("reports__amount", filter=frozen),
            f_done=Count("reports", filter=frozen & Q(reports__milestone_done=True)),
            f_last=Max("reports__reported_on", filter=frozen),
            f_demo=Count("reports", filter=frozen & Q(reports__is_demo=True)),
            late=Count(
                "reports", filter=(verified & Q(reports__reviewed_at__gte=cutoff)) | (in_time & withdrawn_later)
            ),
        )
    return Indicator.objects.filter(**filters).annotate(**annotations).order_by("item_id", "sort_order", "id")


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
    frozen: bool = False,
) -> list[ItemProgress]:
    """Completion, status and staleness of items. ``indicators`` are those of the items as
    ``_indicators_with_figures`` gives them (fetched here, in one query, when not given)."""
    if indicators is None:
        cutoff = grace_cutoff(plan.year) if frozen else None
        indicators = list(_indicators_with_figures(cutoff, item__in=[item.pk for item in items])) if items else []
    by_item: dict[int, list[Indicator]] = defaultdict(list)
    for ind in indicators:
        by_item[ind.item_id].append(ind)
    linked = metric_values([ind.metric_key for ind in indicators if ind.metric_key], plan.year, cached=cached_metrics)
    # Other apps' counts carry no per-record marker here: while the site holds demo records, a
    # linked figure says it may rest on them (the site-wide answer, cached under the generation).
    linked_demo = bool(linked) and registry.demo_present()
    since = plan.voted_on or datetime.date(plan.year, 1, 1)
    # The item pages' address, reversed once: "/ten-things/2024/" + "3/".
    year_url = reverse("tenthings:year", args=[plan.year])
    if closed is None:
        closed = year_closed(plan.year, timezone.localdate())
    result = []
    for item in items:
        rows = []
        after = []
        last = None
        late_count = 0
        for ind in by_item.get(item.pk, ()):
            # The headline's figures: as of the grace date when frozen, else as they stand.
            total, done_n, ind_last, demo_n = (
                (ind.f_total, ind.f_done, ind.f_last, ind.f_demo)
                if frozen
                else (ind.v_total, ind.v_done, ind.v_last, ind.v_demo)
            )
            metric_value = linked.get(ind.metric_key) if ind.metric_key else None
            is_linked = metric_value is not None
            snapshot_value, snapshot_on = (
                (ind.fs_value, ind.fs_on) if frozen else (getattr(ind, "s_value", None), getattr(ind, "s_on", None))
            )
            if is_linked and snapshot_on:
                ind_last = snapshot_on  # 最近核实 of a linked figure: its latest verified snapshot
            if ind_last and (last is None or ind_last > last):
                last = ind_last
            actual = metric_value if is_linked else (total or ZERO)
            if is_linked and frozen and snapshot_value is not None:
                actual = snapshot_value  # as verified by the grace date; the live count shows after
            done = bool(done_n)
            completion = indicator_completion(
                actual=actual, target=ind.target, milestone=ind.is_milestone, done=done, comparator=ind.comparator
            )
            overdue = due_missed(met=completion >= ONE, due=ind.due_date, as_of=as_of)
            rows.append(
                IndicatorProgress(
                    ind,
                    max(actual, ZERO),
                    done,
                    completion,
                    is_linked,
                    demo_reports=demo_n,
                    overdue=overdue,
                    linked_demo=is_linked and linked_demo,
                    snapshot=(snapshot_value, snapshot_on) if is_linked and snapshot_on else None,
                )
            )
            if frozen:
                late_count += ind.late
                now_actual = metric_value if is_linked else (ind.v_total or ZERO)
                after.append(
                    (
                        indicator_completion(
                            actual=now_actual,
                            target=ind.target,
                            milestone=ind.is_milestone,
                            done=bool(ind.v_done),
                            comparator=ind.comparator,
                        ),
                        ind.weight,
                    )
                )
        completion = weighted_mean((row.completion, row.indicator.weight) for row in rows)
        status = status_for(completion, elapsed, closed=closed, overdue=any(row.overdue for row in rows))
        # An item whose every figure is computed by another app is never waiting for a report.
        all_linked = bool(rows) and all(row.linked for row in rows)
        stale = not all_linked and is_stale(last_verified=last, since=since, as_of=as_of, done=status == Status.DONE)
        progress = ItemProgress(item, rows, completion, status, stale, last, f"{year_url}{item.number}/")
        if frozen:
            progress.late_count = late_count
            progress.after_completion = weighted_mean(after)
        result.append(progress)
    return result


def plan_progress(plan: Plan, *, today: datetime.date | None = None, cached_metrics: bool = False) -> PlanProgress:
    """Everything the year page, the home panel and the dashboard show about a plan: two queries
    (items; indicators with their verified figures) plus the linked metrics."""
    today = today or timezone.localdate()
    as_of = as_of_date(plan.year, today)
    elapsed = year_elapsed(plan.year, as_of)
    closed = year_closed(plan.year, today)
    frozen = past_grace(plan.year, today)
    items = list(_items_queryset(plan))
    for item in items:
        item.plan = plan
    cutoff = grace_cutoff(plan.year) if frozen else None
    indicators = list(_indicators_with_figures(cutoff, item__plan=plan)) if items else []
    progress = items_progress(
        plan,
        items,
        as_of=as_of,
        elapsed=elapsed,
        indicators=indicators,
        cached_metrics=cached_metrics,
        closed=closed,
        frozen=frozen,
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
        frozen_on=grace_date(plan.year) if frozen else None,
        late_count=sum(p.late_count for p in progress),
        after_completion=weighted_mean((p.after_completion, p.item.weight) for p in progress) if frozen else None,
    )
