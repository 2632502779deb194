"""Completion math of the ten practical things: pure functions, no database.

Ratios are Decimals between 0 and 1 everywhere; templates format them with ``percent``. Whether
a completion is on track is the core's one status rule (``apps/core/status.py``).
"""

import datetime
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

# The status rule itself is the core's, shared with every dashboard figure that has a target;
# these names are re-exported so that ten-things code keeps importing them from here.
from apps.core.status import (  # noqa: F401
    BEHIND_GAP,
    ONE,
    SEVERE_GAP,
    ZERO,
    Status,
    about_tolerance,
    about_tolerance_percent,
    as_of_date,
    completion_of,
    due_missed,
    status_for,
    status_on,
    target_met,
    year_closed,
    year_elapsed,
)

# An unfinished item with no verified report for this many days is flagged stale.
STALE_DAYS = 30


def stale_label() -> str:
    """The words shown for a stale item, with the number of days from STALE_DAYS."""
    from django.utils.translation import gettext

    return gettext("超%(days)s天未更新") % {"days": STALE_DAYS}


def format_number(value) -> str:
    """12.50 -> '12.5', 600.00 -> '600' (no exponent, no trailing zeros)."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def indicator_completion(
    *, actual, target=None, milestone: bool = False, done: bool = False, comparator: str = ""
) -> Decimal:
    """min(actual / target, 1), never below 0, 1 exactly when the comparator says the target is met
    (``apps/core/status.py``); a milestone is 0 or 1."""
    if milestone:
        return ONE if done else ZERO
    completion = completion_of(actual or 0, target, comparator)
    return ZERO if completion is None else completion


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


def is_stale(*, last_verified: datetime.date | None, since: datetime.date, as_of: datetime.date, done: bool) -> bool:
    """No verified report for STALE_DAYS days (counted from ``since`` if there never was one)."""
    if done:
        return False
    reference = last_verified or since
    return (as_of - reference).days > STALE_DAYS
