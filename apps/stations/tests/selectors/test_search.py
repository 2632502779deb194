"""The station search: every chosen amenity, kind and town, open now; planned and closed stations left out."""

import datetime

import pytest
from django.utils import timezone

from apps.core.tests.factories import TownFactory
from apps.stations import selectors
from apps.stations.models import Station

from ..factories import AmenityFactory, OpeningHoursFactory, StationFactory

pytestmark = pytest.mark.django_db


def test_search_requires_every_chosen_amenity():
    meal, water = AmenityFactory(code="meal"), AmenityFactory(code="water")
    both = StationFactory(amenities=[meal, water])
    StationFactory(amenities=[meal])
    assert list(selectors.station_search(amenities=[meal, water])) == [both]


def test_search_filters_kind_and_town_and_hides_planned_and_closed():
    town = TownFactory(name="戴南镇")
    book = StationFactory(kind=Station.Kind.READING_ROOM, town=town)
    StationFactory(kind=Station.Kind.READING_ROOM)
    StationFactory(kind=Station.Kind.READING_ROOM, town=town, status=Station.Status.PLANNED)
    StationFactory(kind=Station.Kind.READING_ROOM, town=town, status=Station.Status.CLOSED, status_reason="拆迁")
    assert list(selectors.station_search(kind=Station.Kind.READING_ROOM, town=town)) == [book]


def test_open_now_uses_24h_flag_or_todays_hours():
    # A fixed Monday on purpose: opening hours are per weekday, and ``now`` is passed in.
    monday_10 = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
    monday_20 = timezone.make_aware(datetime.datetime(2026, 11, 23, 20, 0))
    always = StationFactory(is_24h=True)
    office = OpeningHoursFactory(weekday=0).station
    StationFactory(is_24h=True, status=Station.Status.SUSPENDED, status_reason="维修")
    at_10 = set(selectors.station_search(open_now=True, now=monday_10))
    at_20 = set(selectors.station_search(open_now=True, now=monday_20))
    assert at_10 == {always, office}
    assert at_20 == {always}
    assert office.is_open_at(monday_10) and not office.is_open_at(monday_20)
