"""One item's public page: its progress, the verified reports a page at a time, the latest events."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from apps.core.pagecache import public_fragment
from apps.core.status import grace_cutoff, grace_date, past_grace

from ..completion import (
    as_of_date,
    year_closed,
    year_elapsed,
)
from ..models import (
    Follow,
    Item,
    ItemEvent,
    Plan,
    ProgressReport,
    Rating,
    ReportPhoto,
    ResponsibilityRecord,
    Task,
)
from .progress import ItemProgress, _indicators_with_figures, items_progress

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
    frozen_on: datetime.date | None = None
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
    frozen = past_grace(plan.year, today)
    cutoff = grace_cutoff(plan.year) if frozen else None
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
            "indicators": list(_indicators_with_figures(cutoff, item=item)),
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
    shared = public_fragment(f"tenthings-item:{item.pk}:{reports.number}:{int(frozen)}", build)
    [progress] = items_progress(
        plan,
        [item],
        as_of=as_of,
        elapsed=elapsed,
        indicators=shared["indicators"],
        cached_metrics=True,
        closed=year_closed(plan.year, today),
        frozen=frozen,
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
        frozen_on=grace_date(plan.year) if frozen else None,
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
