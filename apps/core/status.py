"""The one status rule for a figure against its target, over a year.

Ten-things items and plans, and every dashboard figure that has a target, are judged by the
same rule here; no app keeps a second one. Pure functions, no database.

- reached (the comparator's sense of "met"): 已完成 / "ok", whenever;
- the year is closed (from 00:00 on 1 January of the next year, Asia/Shanghai — the last day
  itself is still a day of the year): anything short is 未完成 / "bad";
- a due date passed and the target not met: 逾期 / "bad" — a missed deadline is never "on track";
- before the year starts nothing can be behind yet: 正常推进;
- during the year: 正常推进 / 滞后 / 严重滞后 by how far completion trails the calendar.

Comparators mean what they say: 不少于 and 以上 include the number itself (民法典 第一千二百五十九条),
so both are met at the target; 约 is met within ±``about_tolerance()`` (``FIGURES_ABOUT_TOLERANCE``,
default 5 %); 余 / 多 ("100余", "3000多") mean more than the number and are met only above it.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")
ONE = Decimal("1")
# Completion of a 余/多 target reached exactly but not exceeded: shown as 99 %, never as met.
JUST_SHORT = Decimal("0.9999")

# ``gap`` is the share of the year elapsed minus the completion: up to BEHIND_GAP behind the
# calendar is still on track; over SEVERE_GAP is severe.
BEHIND_GAP = Decimal("0.10")
SEVERE_GAP = Decimal("0.25")

# Comparator codes (the ten-things indicator's ``comparator`` field uses the same ones).
PLAIN = ""
AT_LEAST = "at_least"  # 不少于: met at the number
OVER = "over"  # 以上: met at the number (it includes the number itself)
ABOUT = "about"  # 约: met within ± the tolerance
MORE = "more"  # 余 / 多: met only above the number


class Status(models.TextChoices):
    DONE = "done", _("已完成")
    NORMAL = "normal", _("正常推进")
    BEHIND = "behind", _("滞后")
    SEVERE = "severe", _("严重滞后")
    # A due date inside the year passed and the target was not met.
    OVERDUE = "overdue", _("逾期")
    # The year is closed and the target was not reached: never "on track".
    UNFINISHED = "unfinished", _("未完成")


# How a status shows on a dashboard figure ("" neutral, "ok", "warn", "bad").
FIGURE_STATUS = {
    Status.DONE: "ok",
    Status.NORMAL: "",
    Status.BEHIND: "warn",
    Status.SEVERE: "bad",
    Status.OVERDUE: "bad",
    Status.UNFINISHED: "bad",
}


def about_tolerance() -> Decimal:
    """How far from the number a 约 target is still met (a setting; 0.05 = ±5 %)."""
    return Decimal(str(getattr(settings, "FIGURES_ABOUT_TOLERANCE", "0.05")))


def about_tolerance_percent() -> str:
    """The 约 tolerance as shown beside a target: '5'."""
    text = f"{about_tolerance() * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def year_closed(year: int, today: datetime.date) -> bool:
    """A year closes at 24:00 on 31 December (Asia/Shanghai): closed from 1 January after it."""
    return today.year > year


def grace_date(year: int) -> datetime.date:
    """The last day reports and records dated in ``year`` may still be submitted and verified
    (``FIGURES_GRACE_DAY``, "MM-DD" of the next year; default 15 January). After it the year's
    headline is frozen as of this day and anything later is a 补报, shown beside it."""
    month, day = (int(part) for part in str(getattr(settings, "FIGURES_GRACE_DAY", "01-15")).split("-"))
    return datetime.date(year + 1, month, day)


def grace_cutoff(year: int) -> datetime.datetime:
    """The moment the grace period ends: 24:00 of ``grace_date`` in the portal's time zone."""
    day = grace_date(year) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day))


def past_grace(year: int, today: datetime.date) -> bool:
    """The grace period after the year is over: the headline is frozen."""
    return today > grace_date(year)


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


def status_for(completion: Decimal, elapsed: Decimal, *, closed: bool | None = None, overdue: bool = False) -> Status:
    """The rule from a completion ratio (0..1), the share of the year elapsed, whether the year is
    closed (``year_closed``; without it, a year at 100 % elapsed counts as closed) and whether a
    due date passed unmet."""
    if completion >= ONE:
        return Status.DONE
    if closed is None:
        closed = elapsed >= ONE
    if closed:
        return Status.UNFINISHED
    if overdue:
        return Status.OVERDUE
    gap = elapsed - completion
    if gap <= BEHIND_GAP:
        return Status.NORMAL
    if gap <= SEVERE_GAP:
        return Status.BEHIND
    return Status.SEVERE


def status_on(completion: Decimal, *, year: int, today: datetime.date, overdue: bool = False) -> Status:
    """The status of something of ``year`` seen on ``today``: the whole-year rule in one call."""
    return status_for(
        completion, year_elapsed(year, as_of_date(year, today)), closed=year_closed(year, today), overdue=overdue
    )


def target_met(value, target, comparator: str = PLAIN) -> bool:
    """Whether ``value`` meets ``target`` in the comparator's sense."""
    if target is None or value is None:
        return False
    value, target = Decimal(str(value)), Decimal(str(target))
    if comparator == MORE:
        return value > target
    if comparator == ABOUT:
        return value >= target * (ONE - about_tolerance())
    return value >= target


def completion_of(value, target, comparator: str = PLAIN) -> Decimal | None:
    """min(value / target, 1), never below 0 — 1 exactly when the target is met in the
    comparator's sense (a 约 target within tolerance; a 余 target only above it); None without a
    positive target."""
    if target is None or value is None or Decimal(str(target)) <= 0:
        return None
    if target_met(value, target, comparator):
        return ONE
    ratio = Decimal(str(value)) / Decimal(str(target))
    return max(ZERO, min(ratio, JUST_SHORT))


def due_missed(*, met: bool, due: datetime.date | None, as_of: datetime.date) -> bool:
    """A due date passed (the whole due day is allowed) and the target is not met."""
    return not met and due is not None and as_of > due


def target_status(
    value, target, *, year: int, today: datetime.date | None = None, comparator: str = PLAIN
) -> Status | None:
    """The status of a yearly figure against its target (None when there is no target)."""
    completion = completion_of(value, target, comparator)
    if completion is None:
        return None
    return status_on(completion, year=year, today=today or timezone.localdate())


def figure_status(value, target, *, year: int, today: datetime.date | None = None, comparator: str = PLAIN) -> str:
    """``Figure.status`` for a yearly figure against its target: "" / "ok" / "warn" / "bad"."""
    status = target_status(value, target, year=year, today=today, comparator=comparator)
    return "" if status is None else FIGURE_STATUS[status]
