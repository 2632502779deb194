"""Journey 16: a shift that has ended today no longer reads as 今天值班; the week's table keeps words whole."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import DutyShiftFactory

pytestmark = pytest.mark.django_db


def test_a_finished_shift_is_not_on_duty_today(client, station, lawyer):
    now = timezone.localtime()
    if now.hour < 1:
        pytest.skip("needs an hour of today behind us")  # a shift must have ended earlier today
    ended = (now - datetime.timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    start = datetime.time(0, 0)
    DutyShiftFactory(station=station, lawyer=lawyer, date=now.date(), start=start, end=ended)
    body = client.get(reverse("legal_aid:index")).content.decode()
    duty = body[body.index('id="duty-title"') : body.index('data-testid="week-duty"')]
    assert 'data-testid="duty-ended"' in duty
    assert "黄律师" not in duty  # listed in the week's table only
    assert "legal-table--duty" in body
