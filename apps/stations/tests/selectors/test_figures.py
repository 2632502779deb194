"""The stations' linked metrics: one query each, offered through the contract."""

import datetime

import pytest

from apps.stations import selectors
from apps.stations.models import Station

from ..factories import StationFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_metrics_count_with_one_query_each(django_assert_num_queries):
    brand = "兴惠有你"  # the pledge counts the brand's 24-hour self-service stations
    StationFactory(opened_on=datetime.date(2024, 5, 1), brand=brand)
    StationFactory(opened_on=datetime.date(2024, 9, 1), brand=brand)
    StationFactory(opened_on=datetime.date(2024, 9, 1), brand="")  # another operator's: not the pledge's
    StationFactory(opened_on=datetime.date(2023, 9, 1), brand=brand)
    StationFactory(opened_on=datetime.date(2024, 9, 1), kind=Station.Kind.READING_ROOM, brand=brand)
    StationFactory(opened_on=datetime.date(2024, 9, 1), status=Station.Status.PLANNED, brand=brand)
    old = StationFactory(opened_on=datetime.date(2020, 1, 1))
    VisitFactory(station=old, day=datetime.date(2024, 3, 1))
    VisitFactory(station=old, day=datetime.date(2025, 3, 1))
    with django_assert_num_queries(1):
        assert selectors.metric_opened_24h(2024) == 2
    with django_assert_num_queries(1):
        assert selectors.metric_visits(2024) == 1


def test_metrics_are_offered_through_the_contract():
    from apps.core import registry

    StationFactory(opened_on=datetime.date(2024, 5, 1), brand="兴惠有你")
    assert registry.metric_value("stations.opened_24h", 2024) == 1
    assert registry.metric_value("stations.visits", 2024) == 0
