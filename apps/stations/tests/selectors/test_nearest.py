""" "Nearest to me": boxes first, widening, then everything; always the exact ranking."""

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.geo import EARTH_RADIUS_M
from apps.stations import selectors
from apps.stations.models import Station
from apps.stations.selectors import nearest

from ..factories import StationFactory
from ..points import HOME, brute_force, bulk_stations, offset

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


def test_the_first_box_answers_when_it_holds_enough_stations():
    bulk_stations([offset(HOME, north_m=100 * i) for i in range(1, 6)] + [offset(HOME, north_m=40_000)])
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), HOME, limit=3)
    assert ranked == brute_force(HOME)[:3]
    assert len(ctx.captured_queries) == 1


def test_the_box_widens_when_too_few_stations_are_close():
    # One station within 15 km, three between 15 and 75 km: the second, wider box answers.
    bulk_stations(
        [
            offset(HOME, north_m=2_000),
            offset(HOME, north_m=-30_000),
            offset(HOME, east_m=40_000),
            offset(HOME, north_m=50_000),
        ]
    )
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), HOME, limit=3)
    assert ranked == brute_force(HOME)[:3]
    assert len(ctx.captured_queries) == 2
    assert [round(m / 1000) for _pk, m in ranked] == [2, 30, 40]


def test_a_position_far_from_every_station_ranks_them_all():
    bulk_stations([offset(HOME, north_m=1_000 * i) for i in range(5)])
    beijing = (39.9042, 116.4074)
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), beijing, limit=3)
    assert ranked == brute_force(beijing)[:3]
    assert len(ctx.captured_queries) == 3  # two empty boxes, then every located station
    assert selectors.station_nearest_ids(Station.objects.all(), (0.0, 0.0), limit=2) == brute_force((0.0, 0.0))[:2]


@pytest.mark.parametrize("lat", [32.93, 60.0, -45.5])
@pytest.mark.parametrize("direction", ["north", "south", "east", "west"])
def test_a_station_on_the_edge_of_the_first_box_is_not_missed(lat, direction):
    point = (lat, 119.84)
    radius = selectors.NEAREST_RADII_M[0]
    edge_m = radius - 3  # inside the radius by less than the column's rounding
    north, east = {"north": (edge_m, 0), "south": (-edge_m, 0), "east": (0, edge_m), "west": (0, -edge_m)}[direction]
    near = bulk_stations([offset(point, north_m=500)], prefix="N")[0]
    edge = bulk_stations([offset(point, north_m=north, east_m=east)], prefix="E")[0]
    bulk_stations([offset(point, north_m=radius + 2_000 + 10 * i) for i in range(3)], prefix="F")
    ranked = selectors.station_nearest_ids(Station.objects.all(), point, limit=2)
    assert ranked == brute_force(point)[:2]
    assert [pk for pk, _m in ranked] == [near.pk, edge.pk]


def test_the_box_is_wide_enough_at_its_widest_latitude():
    # The cap's widest point lies poleward of the centre: d / cos(lat) would clip it.
    box = nearest._bounding_box(60.0, 10.0, 75_000)
    angle = 75_000 / EARTH_RADIUS_M
    exact = math.degrees(math.asin(math.sin(angle) / math.cos(math.radians(60.0))))
    assert box[3] - 10.0 >= exact > math.degrees(angle) / math.cos(math.radians(60.0))


@pytest.mark.parametrize("point", [(89.99, 10.0), (-89.99, 10.0), (10.0, 179.99), (10.0, -179.99)])
def test_no_box_near_a_pole_or_the_antimeridian_and_the_ranking_is_still_right(point):
    assert nearest._bounding_box(*point, 15_000) is None
    bulk_stations([(point[0], -point[1] if abs(point[1]) > 170 else point[1] + 1), (0.0, 0.0), (45.0, 90.0)])
    assert selectors.station_nearest_ids(Station.objects.all(), point, limit=2) == brute_force(point)[:2]


def test_nearest_with_a_known_count_reads_small_sets_at_once():
    bulk_stations([offset(HOME, north_m=20_000 * i) for i in range(4)])
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), HOME, limit=20, located=selectors.Located(4))
    assert ranked == brute_force(HOME)
    assert len(ctx.captured_queries) == 1


def test_density_sized_boxes_skip_those_that_hold_none_or_all_of_the_stations():
    points = [offset(HOME, north_m=300 * (i % 30), east_m=300 * (i // 30)) for i in range(300)]
    bulk_stations(points)
    agg = Station.objects.aggregate(**nearest._located_aggregates())
    located = nearest._located_from(agg)
    for point, reads in ((HOME, 1), (offset(HOME, north_m=4_500, east_m=1_500), 1), ((39.9, 116.4), 1)):
        with CaptureQueriesContext(connection) as ctx:
            ranked = selectors.station_nearest_ids(Station.objects.all(), point, limit=20, located=located)
        assert ranked == brute_force(point)[:20]
        assert len(ctx.captured_queries) == reads, point
