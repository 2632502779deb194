"""The one working-day calendar: Monday–Friday, minus statutory holidays, plus 调休 make-up days.

Holidays and make-up days are data (``CalendarDay``), entered by staff each year from the State
Council's notice and seeded for the demo years (``apps/core/demo.py``). Every deadline counted
in working days (a legal consultation's first answer, a membership decision, a 公示 of 5 working
days) uses these functions.
"""

from __future__ import annotations

import datetime
import time

from django.utils import timezone

from .models import CalendarDay

# Holidays change once a year; each process keeps a year's exceptions for a few minutes, and a
# save in this process forgets them at once (``calendar_changed``).
_MEMO: dict[int, tuple[float, dict[datetime.date, str]]] = {}
_MEMO_SECONDS = 300


def _exceptions(year: int) -> dict[datetime.date, str]:
    now = time.monotonic()
    found = _MEMO.get(year)
    if found is None or now - found[0] > _MEMO_SECONDS:
        found = (now, dict(CalendarDay.objects.filter(day__year=year).values_list("day", "kind")))
        _MEMO[year] = found
    return found[1]


def calendar_changed(**_kwargs) -> None:
    """Forget the kept exceptions (connected to CalendarDay's save and delete)."""
    _MEMO.clear()


def is_working_day(day: datetime.date) -> bool:
    """True on a working day: a weekday that is no holiday, or a weekend make-up day."""
    kind = _exceptions(day.year).get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start, days: int):
    """The date (or moment, same time of day, local time) ``days`` working days after ``start``."""
    if isinstance(start, datetime.datetime):
        local = timezone.localtime(start) if timezone.is_aware(start) else start
        day = add_working_days(local.date(), days)
        return local.replace(year=day.year, month=day.month, day=day.day)
    day = start
    added = 0
    while added < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end is not later)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
