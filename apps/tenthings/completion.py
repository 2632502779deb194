"""Completion and status math of the ten practical things: pure functions, no database.

Ratios are Decimals between 0 and 1 everywhere; templates format them with ``percent``.
"""

import calendar
import datetime
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")
ONE = Decimal("1")

# The one place where the status rules live. ``gap`` is the share of the year elapsed minus the
# completion: up to BEHIND_GAP behind the calendar is still on track; over SEVERE_GAP is severe.
BEHIND_GAP = Decimal("0.10")
SEVERE_GAP = Decimal("0.25")
# An unfinished item with no verified report for this many days is flagged stale.
STALE_DAYS = 30


def stale_label() -> str:
    """The words shown for a stale item, with the number of days from STALE_DAYS."""
    from django.utils.translation import gettext

    return gettext("超%(days)s天未更新") % {"days": STALE_DAYS}


class Status(models.TextChoices):
    DONE = "done", _("已完成")
    NORMAL = "normal", _("正常推进")
    BEHIND = "behind", _("滞后")
    SEVERE = "severe", _("严重滞后")
    # The year is over (time progress 100 %) and the target was not reached: never "on track".
    UNFINISHED = "unfinished", _("未完成")


def format_number(value) -> str:
    """12.50 -> '12.5', 600.00 -> '600' (no exponent, no trailing zeros)."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def indicator_completion(*, actual, target=None, milestone: bool = False, done: bool = False) -> Decimal:
    """min(actual / target, 1), never below 0; a milestone is 0 or 1."""
    if milestone:
        return ONE if done else ZERO
    if target is None or Decimal(target) <= 0:
        return ZERO
    ratio = Decimal(actual or 0) / Decimal(target)
    return max(ZERO, min(ratio, ONE))


# A shown percentage is the completion rounded down: 99.9 % is not "100 %". Decimal division
# rounds at 28 digits, so an exact quarter built from thirds can come out as 0.2499…9; the floor
# is taken a hair above the value (far below any real step: targets have two decimals and
# weights are small numbers) so that it shows 25 %, the figure a recount by hand gives.
_PERCENT_SLACK = Decimal("1e-9")


def percent_floor(ratio) -> int:
    """A ratio (0..1) as a whole percentage, rounded down: 0.2499…9 (exactly 1/4) -> 25."""
    return int((Decimal(ratio) * 100 + _PERCENT_SLACK).to_integral_value(rounding=ROUND_FLOOR))


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Weighted mean of (value, weight) pairs; 0 for an empty list."""
    total = ZERO
    weights = ZERO
    for value, weight in pairs:
        total += Decimal(value) * Decimal(weight)
        weights += Decimal(weight)
    if weights <= 0:
        return ZERO
    return total / weights


def as_of_date(year: int, today: datetime.date) -> datetime.date:
    """The day a plan is judged on: today for the running year, 31 Dec for a closed year."""
    if year < today.year:
        return datetime.date(year, 12, 31)
    if year > today.year:
        return datetime.date(year, 1, 1)
    return today


def year_elapsed(year: int, as_of: datetime.date) -> Decimal:
    """Share of the year gone by at the end of ``as_of`` (0 before 1 Jan, 1 from 31 Dec)."""
    if as_of.year < year:
        return ZERO
    if as_of.year > year:
        return ONE
    days = 366 if calendar.isleap(year) else 365
    return Decimal(as_of.timetuple().tm_yday) / Decimal(days)


def status_for(completion: Decimal, elapsed: Decimal) -> Status:
    """The whole-year status rule, for an item and for a plan alike.

    - reached (completion 100 %): 已完成, whenever;
    - the year is over (``elapsed`` is 1: judged on or after 31 Dec, which is also how a plan of
      an earlier year is always judged): anything short is 未完成, never 正常推进;
    - before the year (elapsed 0) nothing can be behind yet: 正常推进;
    - during the year: 正常推进 / 滞后 / 严重滞后 by how far completion trails the calendar.
    """
    if completion >= ONE:
        return Status.DONE
    if elapsed >= ONE:
        return Status.UNFINISHED
    gap = elapsed - completion
    if gap <= BEHIND_GAP:
        return Status.NORMAL
    if gap <= SEVERE_GAP:
        return Status.BEHIND
    return Status.SEVERE


def status_on(completion: Decimal, *, year: int, today: datetime.date) -> Status:
    """The status of a plan (or item) of ``year`` seen on ``today``: the whole-year rule in one call."""
    return status_for(completion, year_elapsed(year, as_of_date(year, today)))


def is_stale(*, last_verified: datetime.date | None, since: datetime.date, as_of: datetime.date, done: bool) -> bool:
    """No verified report for STALE_DAYS days (counted from ``since`` if there never was one)."""
    if done:
        return False
    reference = last_verified or since
    return (as_of - reference).days > STALE_DAYS
