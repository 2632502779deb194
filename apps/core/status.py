"""The one status rule for a figure against its target, over a year.

Ten-things items and plans, and every dashboard figure that has a target, are judged by the
same rule here; no app keeps a second one. Pure functions, no database.

- reached (value ≥ target): 已完成 / "ok", whenever;
- the year is over (judged on or after 31 Dec, which is how a closed year is always judged):
  anything short is 未完成 / "bad" — a missed deadline is never "on track";
- before the year starts nothing can be behind yet: 正常推进;
- during the year: 正常推进 / 滞后 / 严重滞后 by how far completion trails the calendar.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")
ONE = Decimal("1")

# ``gap`` is the share of the year elapsed minus the completion: up to BEHIND_GAP behind the
# calendar is still on track; over SEVERE_GAP is severe.
BEHIND_GAP = Decimal("0.10")
SEVERE_GAP = Decimal("0.25")


class Status(models.TextChoices):
    DONE = "done", _("已完成")
    NORMAL = "normal", _("正常推进")
    BEHIND = "behind", _("滞后")
    SEVERE = "severe", _("严重滞后")
    # The year is over (time progress 100 %) and the target was not reached: never "on track".
    UNFINISHED = "unfinished", _("未完成")


# How a status shows on a dashboard figure ("" neutral, "ok", "warn", "bad").
FIGURE_STATUS = {
    Status.DONE: "ok",
    Status.NORMAL: "",
    Status.BEHIND: "warn",
    Status.SEVERE: "bad",
    Status.UNFINISHED: "bad",
}


def as_of_date(year: int, today: datetime.date) -> datetime.date:
    """The day a year is judged on: today for the running year, 31 Dec for a closed year."""
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
    """The whole-year rule from a completion ratio (0..1) and the share of the year elapsed."""
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
    """The status of something of ``year`` seen on ``today``: the whole-year rule in one call."""
    return status_for(completion, year_elapsed(year, as_of_date(year, today)))


def completion_of(value, target) -> Decimal | None:
    """min(value / target, 1), never below 0; None without a positive target."""
    if target is None or value is None or Decimal(str(target)) <= 0:
        return None
    ratio = Decimal(str(value)) / Decimal(str(target))
    return max(ZERO, min(ratio, ONE))


def target_status(value, target, *, year: int, today: datetime.date | None = None) -> Status | None:
    """The status of a yearly figure against its target (None when there is no target)."""
    completion = completion_of(value, target)
    if completion is None:
        return None
    return status_on(completion, year=year, today=today or timezone.localdate())


def figure_status(value, target, *, year: int, today: datetime.date | None = None) -> str:
    """``Figure.status`` for a yearly figure against its target: "" / "ok" / "warn" / "bad"."""
    status = target_status(value, target, year=year, today=today)
    return "" if status is None else FIGURE_STATUS[status]
