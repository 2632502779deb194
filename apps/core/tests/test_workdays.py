"""One working-day calendar: weekends, statutory holidays and 调休 make-up days as data."""

import datetime

import pytest

from apps.core.models import CalendarDay
from apps.core.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def _monday():
    """A Monday a few weeks ahead (relative to today, so the test never ages)."""
    today = datetime.date.today()
    return today + datetime.timedelta(days=21 - today.weekday())


def test_weekdays_work_and_weekends_rest_without_exceptions():
    monday = _monday()
    assert [is_working_day(monday + datetime.timedelta(days=i)) for i in range(7)] == [True] * 5 + [False] * 2
    assert add_working_days(monday + datetime.timedelta(days=4), 1) == monday + datetime.timedelta(days=7)


def test_a_holiday_rests_and_a_make_up_day_works():
    monday = _monday()
    CalendarDay.objects.create(day=monday + datetime.timedelta(days=1), kind="holiday", name="节")
    CalendarDay.objects.create(day=monday + datetime.timedelta(days=5), kind="workday", name="节调休")
    assert not is_working_day(monday + datetime.timedelta(days=1))
    assert is_working_day(monday + datetime.timedelta(days=5))  # a Saturday worked
    # Mon + 2 working days skips the Tuesday holiday: Wednesday, Thursday.
    assert add_working_days(monday, 2) == monday + datetime.timedelta(days=3)
    # Friday + 1 is the make-up Saturday.
    assert add_working_days(monday + datetime.timedelta(days=4), 1) == monday + datetime.timedelta(days=5)
    assert working_days_between(monday, monday + datetime.timedelta(days=7)) == 5


def test_a_moment_keeps_its_time_of_day():
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(_monday(), datetime.time(16, 30)))
    later = add_working_days(moment, 2)
    assert timezone.localtime(later).time() == datetime.time(16, 30)
    assert timezone.localtime(later).date() == _monday() + datetime.timedelta(days=2)


def test_the_demo_calendar_has_the_national_day_week_of_2024():
    from apps.core.demo import calendar_days

    days = {day: kind for day, kind, _name in calendar_days()}
    assert days[datetime.date(2024, 10, 1)] == "holiday" and days[datetime.date(2024, 10, 12)] == "workday"
