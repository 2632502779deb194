"""Reads of the ten practical things. Each page costs a fixed number of queries: verified
figures are summed in the database per indicator, linked metrics are computed once per key."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.pagecache import public_fragment

from .completion import (
    ZERO,
    Status,
    as_of_date,
    format_number,
    indicator_completion,
    is_stale,
    percent_floor,
    stale_label,
    status_for,
    weighted_mean,
    year_elapsed,
)
from .models import (
    Follow,
    Indicator,
    Item,
    ItemEvent,
    Plan,
    ProgressReport,
    Rating,
    ReportPhoto,
    ResponsibilityRecord,
    Task,
)

STATUS_CSS = {
    Status.DONE: "done",
    Status.NORMAL: "normal",
    Status.BEHIND: "behind",
    Status.SEVERE: "severe",
    Status.UNFINISHED: "severe",
}
# Lagging first on the dashboard: unfinished, severe, behind, then stale-but-normal, normal, done.
STATUS_RANK = {Status.UNFINISHED: 0, Status.SEVERE: 0, Status.BEHIND: 1, Status.NORMAL: 3, Status.DONE: 4}
# The statuses a plan can show while its year runs, and once it is over.
RUNNING_STATUSES = (Status.DONE, Status.NORMAL, Status.BEHIND, Status.SEVERE)
CLOSED_STATUSES = (Status.DONE, Status.UNFINISHED)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    actual: Decimal
    done: bool
    completion: Decimal
    linked: bool
    demo_reports: int = 0

    @property
    def figure(self) -> str:
        """'412 / 600 名' for a quantity, '已完成' / '未完成' for a milestone."""
        ind = self.indicator
        if ind.is_milestone:
            return str(_("已完成")) if self.done else str(_("未完成"))
        return f"{format_number(self.actual)} / {format_number(ind.target)} {ind.unit}".strip()

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
        return self.status in (Status.BEHIND, Status.SEVERE, Status.UNFINISHED)

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
    def closed(self) -> bool:
        """The year is over (time progress 100 %): items are 已完成 or 未完成, nothing else."""
        return self.elapsed >= 1

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


def plan_published_get(year: int) -> Plan:
    """The published plan of a year, or 404."""
    plan = Plan.objects.published().filter(year=year).first()
    if plan is None:
        raise Http404("no published plan for this year")
    return plan


def plan_current(today: datetime.date | None = None) -> Plan | None:
    """This year's published plan, or else the latest published one before it."""
    today = today or timezone.localdate()
    return Plan.objects.published().filter(year__lte=today.year).order_by("-year").first()


def plan_years() -> list[int]:
    """Years that have a published plan, newest first (for the archive and year selectors)."""
    return list(Plan.objects.published().values_list("year", flat=True).order_by("-year"))


def plans_published() -> list[Plan]:
    """Every published plan, newest first, in one query: a year page picks its plan from this list
    and lists the others' years (a few dozen short rows at most; the long summary is left out)."""
    return list(Plan.objects.published().defer("summary").order_by("-year"))


def plan_pick(plans: list[Plan], *, year: int | None = None, today: datetime.date | None = None) -> Plan | None:
    """From ``plans_published()``: the plan of ``year``, or (no year) the plan ``plan_current`` gives."""
    if year is not None:
        return next((plan for plan in plans if plan.year == year), None)
    today = today or timezone.localdate()
    return next((plan for plan in plans if plan.year <= today.year), None)


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
    if not cached or not keys:
        return {key: registry.metric_value(key, year) for key in keys}
    cache_keys = {f"tenthings:metric:{year}:{key}": key for key in keys}
    found = cache.get_many(list(cache_keys))
    values, missing = {}, {}
    for cache_key, key in cache_keys.items():
        if cache_key in found:
            values[key] = found[cache_key]
        else:
            values[key] = missing[cache_key] = registry.metric_value(key, year)
    if missing:
        cache.set_many(missing, METRIC_CACHE_SECONDS)
    return values


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
            completion = indicator_completion(actual=actual, target=ind.target, milestone=ind.is_milestone, done=done)
            rows.append(IndicatorProgress(ind, max(actual, ZERO), done, completion, is_linked, demo_reports=ind.v_demo))
        completion = weighted_mean((row.completion, row.indicator.weight) for row in rows)
        status = status_for(completion, elapsed)
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
    items = list(_items_queryset(plan))
    for item in items:
        item.plan = plan
    indicators = list(_indicators_with_figures(item__plan=plan)) if items else []
    progress = items_progress(
        plan, items, as_of=as_of, elapsed=elapsed, indicators=indicators, cached_metrics=cached_metrics
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
        status=status_for(completion, elapsed),
        status_counts=dict(counts),
        stale_count=sum(1 for p in progress if p.stale),
    )


def lagging_first(progress: PlanProgress) -> list[ItemProgress]:
    """Items ordered for leaders: severe, behind, stale, then the rest by number."""

    def rank(p: ItemProgress):
        base = STATUS_RANK[p.status]
        if p.stale and base > 1:
            base = 2
        return (base, p.completion, p.item.number)

    return sorted(progress.items, key=rank)


def department_ranking(progress: PlanProgress) -> list[dict]:
    """Lead units ranked by the mean completion of the items they lead."""
    groups: dict = defaultdict(list)
    for p in progress.items:
        groups[p.item.lead_unit].append(p)
    rows = []
    for unit, items in groups.items():
        completion = weighted_mean((p.completion, p.item.weight) for p in items)
        rows.append(
            {
                "unit": unit,
                "name": str(unit) if unit else str(_("未指定")),
                "items": len(items),
                "completion": completion,
                "percent_int": percent_floor(completion),
            }
        )
    return sorted(rows, key=lambda r: (-r["completion"], r["name"]))


def monthly_trend(progress: PlanProgress) -> list[dict]:
    """Plan completion at the end of each month up to the as-of date, from verified reports.

    One grouped query. A linked indicator has no dated history, so it counts at its current
    value in every month (said on the chart).
    """
    plan = progress.plan
    rows = (
        ProgressReport.objects.verified()
        .filter(indicator__item__plan=plan, reported_on__year=plan.year)
        .annotate(month=TruncMonth("reported_on"))
        .values("indicator_id", "month")
        .annotate(total=Sum("amount"), done=Count("id", filter=Q(milestone_done=True)), n=Count("id"))
    )
    by_month: dict[int, dict[int, dict]] = defaultdict(dict)
    reports_per_month: dict[int, int] = defaultdict(int)
    for row in rows:
        month = row["month"].month if hasattr(row["month"], "month") else int(str(row["month"])[5:7])
        by_month[month][row["indicator_id"]] = row
        reports_per_month[month] += row["n"]
    running_total: dict[int, Decimal] = defaultdict(lambda: ZERO)
    running_done: dict[int, bool] = defaultdict(bool)
    # Each indicator's completion at the end of the month so far: a linked one keeps its current
    # value, the others start at nothing and change only in a month that has reports for them.
    current: dict[int, Decimal] = {}
    for ip in progress.items:
        for row in ip.indicators:
            ind = row.indicator
            current[ind.pk] = (
                row.completion
                if row.linked
                else indicator_completion(actual=ZERO, target=ind.target, milestone=ind.is_milestone, done=False)
            )
    linked_ids = {row.indicator.pk for ip in progress.items for row in ip.indicators if row.linked}
    indicators_by_id = {row.indicator.pk: row.indicator for ip in progress.items for row in ip.indicators}
    trend = []
    for month in range(1, progress.as_of.month + 1):
        for ind_id, row in by_month.get(month, {}).items():
            running_total[ind_id] += row["total"] or ZERO
            running_done[ind_id] = running_done[ind_id] or bool(row["done"])
            ind = indicators_by_id.get(ind_id)
            if ind is not None and ind_id not in linked_ids:
                current[ind_id] = indicator_completion(
                    actual=running_total[ind_id],
                    target=ind.target,
                    milestone=ind.is_milestone,
                    done=running_done[ind_id],
                )
        item_values = [
            (weighted_mean((current[row.indicator.pk], row.indicator.weight) for row in ip.indicators), ip.item.weight)
            for ip in progress.items
        ]
        completion = weighted_mean(item_values)
        trend.append(
            {
                "month": month,
                "completion": completion,
                "percent_int": percent_floor(completion),
                "reports": reports_per_month.get(month, 0),
            }
        )
    return trend


# The item page shows the report timeline a page at a time and only the latest history events,
# so its cost does not grow with the number of reports.
REPORTS_PER_PAGE = 20
EVENTS_SHOWN = 20


@dataclass
class ItemPage:
    plan: Plan
    progress: ItemProgress
    plan_progress_elapsed: Decimal
    reports: Page
    events: list
    rating_avg: Decimal | None
    rating_count: int
    my_stars: int | None
    following: bool
    follower_count: int
    co_units: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    records: list = field(default_factory=list)

    @property
    def my_rating(self) -> int | None:
        """The stars this visitor gave (None: not rated, or not signed in)."""
        return self.my_stars


def _count_of(queryset, column="id"):
    """A correlated COUNT(*) subquery over ``queryset`` (filtered on OuterRef), 0 when empty."""
    counted = queryset.order_by().values(column).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _item_with_page_facts(year: int, number: int, user):
    """The item of a published plan with its plan, lead unit, responsible person and, folded in as
    subqueries, what the page counts: ratings, followers, verified reports, whether it has co-units,
    tasks or pledges, and this visitor's rating and follow. One query; None if there is no such item."""
    item_ref = OuterRef("pk")
    ratings = Rating.objects.filter(item=item_ref)
    qs = (
        Item.objects.filter(plan__year=year, plan__published=True, number=number)
        .select_related("plan", "lead_unit", "responsible")
        .order_by()  # one row: no ORDER BY (the model's ordering would join the plan again)
        .annotate(
            rating_avg=Subquery(ratings.order_by().values("item").annotate(a=Avg("stars")).values("a")),
            rating_count=_count_of(ratings, "item"),
            follower_count=_count_of(Follow.objects.filter(item=item_ref), "item"),
            report_count=_count_of(
                ProgressReport.objects.verified().filter(indicator__item=item_ref), "indicator__item"
            ),
            has_co_units=Exists(Item.co_units.through.objects.filter(item_id=item_ref)),
            has_tasks=Exists(Task.objects.filter(item=item_ref)),
            has_records=Exists(ResponsibilityRecord.objects.filter(item=item_ref)),
        )
    )
    if user is not None and user.is_authenticated:
        qs = qs.annotate(
            my_stars=Subquery(Rating.objects.filter(item=item_ref, user=user).order_by().values("stars")[:1]),
            following=Exists(Follow.objects.filter(item=item_ref, user=user)),
        )
    return next(iter(qs), None)


def item_page(
    year: int, number: int, *, user=None, today: datetime.date | None = None, page: int | str | None = 1
) -> ItemPage:
    """The item detail: indicator progress, one page of verified reports with photos, the latest
    history events (first page only), ratings. A fixed number of queries whatever the data size:
    the item with its counts, its indicators with their figures, the page of reports, the events;
    photos, co-units, tasks and pledges only when there are some."""
    item = _item_with_page_facts(year, number, user)
    if item is None:
        raise Http404("no such item")
    plan = item.plan
    today = today or timezone.localdate()
    as_of = as_of_date(plan.year, today)
    elapsed = year_elapsed(plan.year, as_of)
    reports_qs = (
        ProgressReport.objects.verified()
        .filter(indicator__item=item)
        .select_related("indicator")
        .annotate(has_photos=Exists(ReportPhoto.objects.filter(report=OuterRef("pk"))))
        .order_by("-reported_on", "-id")
    )
    paginator = Paginator(reports_qs, REPORTS_PER_PAGE)
    paginator.count = item.report_count  # counted with the item: no COUNT query of its own
    reports = paginator.get_page(page)

    def build() -> dict:
        # Evaluate the page now; its photos come in one query, and only if a report on it has any.
        rows = list(reports.object_list)
        photos: dict[int, list] = defaultdict(list)
        with_photos = [r.pk for r in rows if r.has_photos]
        if with_photos:
            for photo in ReportPhoto.objects.filter(report_id__in=with_photos).order_by("id"):
                photos[photo.report_id].append(photo)
        for r in rows:
            r.photo_list = photos.get(r.pk, [])
        events = []
        if reports.number == 1:
            events = list(
                ItemEvent.objects.filter(item=item)
                .exclude(kind=ItemEvent.Kind.FIGURE)
                .select_related("indicator", "actor")[:EVENTS_SHOWN]
            )
        return {
            "indicators": list(_indicators_with_figures(item=item)),
            "rows": rows,
            "events": events,
            "co_units": list(item.co_units.all()) if item.has_co_units else [],
            "tasks": list(item.tasks.order_by("due_date", "id")) if item.has_tasks else [],
            "records": list(item.responsibility_records.select_related("unit").order_by("signed_on", "id"))
            if item.has_records
            else [],
        }

    # The same for every visitor until a write refreshes the pages (apps/core/pagecache.py); the
    # item itself (with this visitor's rating and follow) is read fresh above.
    shared = public_fragment(f"tenthings-item:{item.pk}:{reports.number}", build)
    [progress] = items_progress(
        plan, [item], as_of=as_of, elapsed=elapsed, indicators=shared["indicators"], cached_metrics=True
    )
    reports.object_list = shared["rows"]
    paginator.object_list = ()  # the rows are in hand; nothing left to query (or to pickle)
    avg = item.rating_avg
    return ItemPage(
        plan=plan,
        progress=progress,
        plan_progress_elapsed=elapsed,
        reports=reports,
        events=shared["events"],
        rating_avg=Decimal(avg).quantize(Decimal("0.1")) if avg is not None else None,
        rating_count=item.rating_count,
        my_stars=getattr(item, "my_stars", None),
        following=getattr(item, "following", False),
        follower_count=item.follower_count,
        co_units=shared["co_units"],
        tasks=shared["tasks"],
        records=shared["records"],
    )


def item_for_report(plan: Plan, number: int) -> Item:
    item = (
        Item.objects.filter(plan=plan, number=number)
        .select_related("plan", "responsible", "lead_unit")
        .prefetch_related("indicators")
        .first()
    )
    if item is None:
        raise Http404("no such item")
    return item


def reports_pending_count() -> int:
    """How many reports wait for a verifier (the badge of the 待核实 link)."""
    return ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).count()


def indicator_totals(indicator_ids) -> dict[int, Decimal]:
    """Verified total of each quantity indicator, in one query."""
    rows = (
        ProgressReport.objects.verified()
        .filter(indicator_id__in=list(indicator_ids))
        .values("indicator_id")
        .annotate(total=Sum("amount"))
    )
    return {row["indicator_id"]: row["total"] or ZERO for row in rows}


def _with_before_after(reports: list[ProgressReport]) -> list[ProgressReport]:
    """Set ``before`` (the verified total now) and ``after`` (what verifying this report makes it)."""
    totals = indicator_totals({r.indicator_id for r in reports})
    for r in reports:
        r.before = totals.get(r.indicator_id, ZERO)
        r.after = r.before + r.amount if r.amount is not None else None
    return reports


def reports_pending() -> list[ProgressReport]:
    """Reports waiting for a staff member to verify or return them, oldest first, each with the
    indicator's verified total before and after it (two queries plus the photos)."""
    reports = list(
        ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED)
        .select_related("indicator__item__plan", "indicator__item__lead_unit", "reporter")
        .prefetch_related(Prefetch("photos", queryset=ReportPhoto.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    return _with_before_after(reports)


def reports_of_reporter(user, item: Item):
    return (
        ProgressReport.objects.filter(reporter=user, indicator__item=item)
        .select_related("indicator")
        .order_by("-reported_on", "-id")[:20]
    )


MY_REPORTS_PER_PAGE = 30


def my_reports(user, page: int | str | None = 1) -> Page:
    """A reporter's own reports across items and years, newest date first, a page at a time."""
    qs = (
        ProgressReport.objects.filter(reporter=user)
        .select_related("indicator__item__plan")
        .order_by("-reported_on", "-id")
    )
    reports = Paginator(qs, MY_REPORTS_PER_PAGE).get_page(page)
    reports.object_list = list(reports.object_list)
    return reports


def items_to_report(user) -> list[Item]:
    """Items of published plans this person is responsible for, current year first."""
    return list(
        Item.objects.filter(plan__published=True, responsible=user)
        .select_related("plan", "lead_unit")
        .order_by("-plan__year", "number")[:30]
    )


@dataclass
class IndicatorContext:
    """What a reporter sees beside the form for one indicator: the verified total, target, remainder."""

    pk: int
    name: str
    unit: str
    milestone: bool
    total: Decimal
    target: Decimal | None
    done: bool

    @property
    def remaining(self) -> Decimal | None:
        if self.milestone or self.target is None:
            return None
        return max(self.target - self.total, ZERO)

    def as_data(self) -> dict:
        """For the form's data attributes (read by the page's script)."""
        return {
            "pk": self.pk,
            "unit": self.unit,
            "milestone": self.milestone,
            "total": format_number(self.total),
            "target": format_number(self.target) if self.target is not None else "",
            "remaining": format_number(self.remaining) if self.remaining is not None else "",
            "done": self.done,
        }


def report_context(item: Item) -> list[IndicatorContext]:
    """Every reportable indicator of an item with its verified figures (one query)."""
    indicators = [ind for ind in item.indicators.all() if not ind.metric_key]
    figures = _verified_figures([ind.pk for ind in indicators])
    return [
        IndicatorContext(
            pk=ind.pk,
            name=ind.name,
            unit=ind.unit,
            milestone=ind.is_milestone,
            total=figures.get(ind.pk, {}).get("total") or ZERO,
            target=ind.target,
            done=bool(figures.get(ind.pk, {}).get("done")),
        )
        for ind in indicators
    ]


def items_of_user(user) -> dict:
    """Items a person is responsible for and items they follow (published plans only)."""
    base = Item.objects.filter(plan__published=True).select_related("plan").order_by("-plan__year", "number")
    return {
        "responsible": list(base.filter(responsible=user)[:20]),
        "following": list(base.filter(follows__user=user)[:20]),
    }
