"""Reports as their people see them: waiting for a verifier, a reporter's own, the form's context."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Sum

from ..completion import (
    ZERO,
    format_number,
)
from ..models import (
    Item,
    ProgressReport,
    ReportPhoto,
)
from .progress import _verified_figures


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
