import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.tests.factories import TownFactory
from apps.stations import selectors
from apps.stations.models import Station

from .factories import AmenityFactory, OpeningHoursFactory, StationFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _at(lat, lng, **kwargs):
    return StationFactory(latitude=Decimal(str(lat)), longitude=Decimal(str(lng)), **kwargs)


def test_nearest_orders_by_distance_from_the_point():
    far = _at(32.99, 119.84, name="远")
    near = _at(32.931, 119.84, name="近")
    middle = _at(32.95, 119.84, name="中")
    ranked = selectors.station_nearest_ids(Station.objects.all(), (32.93, 119.84))
    assert [pk for pk, _ in ranked] == [near.pk, middle.pk, far.pk]
    assert ranked[0][1] == pytest.approx(111, abs=2)


def test_nearest_falls_back_to_all_stations_when_the_box_holds_too_few():
    _at(32.931, 119.84)
    distant = _at(33.5, 120.5)  # ~90 km away, outside the first bounding box
    ranked = selectors.station_nearest_ids(Station.objects.all(), (32.93, 119.84), limit=2)
    assert [pk for pk, _ in ranked][-1] == distant.pk


def test_nearest_skips_stations_without_a_point():
    StationFactory(latitude=None, longitude=None)
    located = _at(32.93, 119.84)
    assert [pk for pk, _ in selectors.station_nearest_ids(Station.objects.all(), (32.9, 119.8))] == [located.pk]


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


def test_map_points_make_one_query_and_carry_distances(django_assert_num_queries):
    for i in range(5):
        _at(32.93 + i / 100, 119.84)
    with django_assert_num_queries(1):
        points = selectors.station_map_points({}, (32.93, 119.84))
    assert [p["distance_m"] for p in points] == sorted(p["distance_m"] for p in points)
    assert points[0]["url"] == f"/stations/{points[0]['id']}/"


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


def test_map_markers_are_shared_until_a_station_change_commits(
    settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.FRAGMENT_CACHE_ENABLED = True
    first = StationFactory(name="旧名")
    selectors.station_map_points({})
    with django_assert_num_queries(0):
        assert [m["name"] for m in selectors.station_map_points({})] == ["旧名"]
    first.name = "新名"
    first.save()
    StationFactory(name="新站")
    assert [m["name"] for m in selectors.station_map_points({})] == ["旧名"]  # not committed yet
    with django_capture_on_commit_callbacks(execute=True):
        first.save()
    names = {m["name"] for m in selectors.station_map_points({})}
    assert names == {"新名", "新站"}


def test_map_markers_are_built_afresh_each_time_when_shared_fragments_are_off(settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    station = StationFactory(name="旧名")
    assert [m["name"] for m in selectors.station_map_points({})] == ["旧名"]
    station.name = "新名"
    station.save()
    assert [m["name"] for m in selectors.station_map_points({})] == ["新名"]
