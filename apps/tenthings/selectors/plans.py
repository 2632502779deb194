"""Which plan a page shows: the published plans, this year's or the latest."""

import datetime

from django.http import Http404
from django.utils import timezone

from ..models import (
    Plan,
)


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
