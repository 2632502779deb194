"""What keepers see: a station's usage per day and occupation."""

import datetime

import pytest
from django.utils import timezone

from apps.stations import selectors

from ..factories import StationFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_usage_counts_visits_per_day_and_occupation():
    station = StationFactory()
    today = timezone.localdate()
    day = today - datetime.timedelta(days=4)
    VisitFactory(station=station, day=day, occupation="courier")
    VisitFactory(station=station, day=day, occupation="courier")
    VisitFactory(station=station, day=day, occupation="sanitation")
    VisitFactory(station=station, day=day - datetime.timedelta(days=95))  # outside the window
    usage = selectors.station_usage(station, today=today)
    assert usage.total == 3
    assert len(usage.days) == 90
    row = next(d for d in usage.days if d.day == day)
    assert row.total == 3
    assert dict(usage.by_occupation)["快递"] == 2
