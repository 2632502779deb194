"""The public stations pages stay cheap: "nearest" by widening boxes, few and flat queries."""

import math
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.core.geo import EARTH_RADIUS_M, distance_m
from apps.core.tests.factories import TownFactory
from apps.stations import selectors
from apps.stations.models import Station

from .factories import AmenityFactory, StationFactory

pytestmark = pytest.mark.django_db

HOME = (32.93, 119.84)


def _brute_force(point, qs=None):
    """Every located station ranked the slow, obvious way: (id, metres), nearest first, ties by id."""
    qs = qs if qs is not None else Station.objects.all()
    rows = qs.filter(latitude__isnull=False).values_list("pk", "latitude", "longitude")
    ranked = [(pk, distance_m(point[0], point[1], float(la), float(lo))) for pk, la, lo in rows]
    return sorted(ranked, key=lambda row: (row[1], row[0]))


def _offset(point, north_m=0.0, east_m=0.0):
    """A point about ``north_m`` north and ``east_m`` east of ``point`` (small distances)."""
    lat = point[0] + math.degrees(north_m / EARTH_RADIUS_M)
    lng = point[1] + math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(point[0]))))
    return lat, lng


def _bulk(points, town=None, prefix="P"):
    town = town or TownFactory()
    return Station.objects.bulk_create(
        [
            Station(
                code=f"{prefix}-{i}",
                name=f"驿站{prefix}{i}",
                town=town,
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lng:.6f}"),
                is_24h=True,
            )
            for i, (lat, lng) in enumerate(points)
        ]
    )


# --- "nearest": boxes first, widening, then everything -----------------------------------------


def test_the_first_box_answers_when_it_holds_enough_stations():
    _bulk([_offset(HOME, north_m=100 * i) for i in range(1, 6)] + [_offset(HOME, north_m=40_000)])
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), HOME, limit=3)
    assert ranked == _brute_force(HOME)[:3]
    assert len(ctx.captured_queries) == 1


def test_the_box_widens_when_too_few_stations_are_close():
    # One station within 15 km, three between 15 and 75 km: the second, wider box answers.
    _bulk(
        [
            _offset(HOME, north_m=2_000),
            _offset(HOME, north_m=-30_000),
            _offset(HOME, east_m=40_000),
            _offset(HOME, north_m=50_000),
        ]
    )
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), HOME, limit=3)
    assert ranked == _brute_force(HOME)[:3]
    assert len(ctx.captured_queries) == 2
    assert [round(m / 1000) for _pk, m in ranked] == [2, 30, 40]


def test_a_position_far_from_every_station_ranks_them_all():
    _bulk([_offset(HOME, north_m=1_000 * i) for i in range(5)])
    beijing = (39.9042, 116.4074)
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), beijing, limit=3)
    assert ranked == _brute_force(beijing)[:3]
    assert len(ctx.captured_queries) == 3  # two empty boxes, then every located station
    assert selectors.station_nearest_ids(Station.objects.all(), (0.0, 0.0), limit=2) == _brute_force((0.0, 0.0))[:2]


@pytest.mark.parametrize("lat", [32.93, 60.0, -45.5])
@pytest.mark.parametrize("direction", ["north", "south", "east", "west"])
def test_a_station_on_the_edge_of_the_first_box_is_not_missed(lat, direction):
    point = (lat, 119.84)
    radius = selectors.NEAREST_RADII_M[0]
    edge_m = radius - 3  # inside the radius by less than the column's rounding
    north, east = {"north": (edge_m, 0), "south": (-edge_m, 0), "east": (0, edge_m), "west": (0, -edge_m)}[direction]
    near = _bulk([_offset(point, north_m=500)], prefix="N")[0]
    edge = _bulk([_offset(point, north_m=north, east_m=east)], prefix="E")[0]
    _bulk([_offset(point, north_m=radius + 2_000 + 10 * i) for i in range(3)], prefix="F")
    ranked = selectors.station_nearest_ids(Station.objects.all(), point, limit=2)
    assert ranked == _brute_force(point)[:2]
    assert [pk for pk, _m in ranked] == [near.pk, edge.pk]


def test_the_box_is_wide_enough_at_its_widest_latitude():
    # The cap's widest point lies poleward of the centre: d / cos(lat) would clip it.
    box = selectors._bounding_box(60.0, 10.0, 75_000)
    angle = 75_000 / EARTH_RADIUS_M
    exact = math.degrees(math.asin(math.sin(angle) / math.cos(math.radians(60.0))))
    assert box[3] - 10.0 >= exact > math.degrees(angle) / math.cos(math.radians(60.0))


@pytest.mark.parametrize("point", [(89.99, 10.0), (-89.99, 10.0), (10.0, 179.99), (10.0, -179.99)])
def test_no_box_near_a_pole_or_the_antimeridian_and_the_ranking_is_still_right(point):
    assert selectors._bounding_box(*point, 15_000) is None
    _bulk([(point[0], -point[1] if abs(point[1]) > 170 else point[1] + 1), (0.0, 0.0), (45.0, 90.0)])
    assert selectors.station_nearest_ids(Station.objects.all(), point, limit=2) == _brute_force(point)[:2]


def test_nearest_with_a_known_count_reads_small_sets_at_once():
    _bulk([_offset(HOME, north_m=20_000 * i) for i in range(4)])
    with CaptureQueriesContext(connection) as ctx:
        ranked = selectors.station_nearest_ids(Station.objects.all(), HOME, limit=20, located=selectors.Located(4))
    assert ranked == _brute_force(HOME)
    assert len(ctx.captured_queries) == 1


def test_density_sized_boxes_skip_those_that_hold_none_or_all_of_the_stations():
    points = [_offset(HOME, north_m=300 * (i % 30), east_m=300 * (i // 30)) for i in range(300)]
    _bulk(points)
    agg = Station.objects.aggregate(**selectors._located_aggregates())
    located = selectors._located_from(agg)
    for point, reads in ((HOME, 1), (_offset(HOME, north_m=4_500, east_m=1_500), 1), ((39.9, 116.4), 1)):
        with CaptureQueriesContext(connection) as ctx:
            ranked = selectors.station_nearest_ids(Station.objects.all(), point, limit=20, located=located)
        assert ranked == _brute_force(point)[:20]
        assert len(ctx.captured_queries) == reads, point


# --- the list page: one query for the rows, the same pages as before ---------------------------


def test_list_page_without_a_position_is_one_query_in_list_order():
    meal, water = AmenityFactory(code="meal", sort_order=0), AmenityFactory(code="water", sort_order=1)
    b = StationFactory(name="乙站", amenities=[water, meal])
    a = StationFactory(name="甲站", town=b.town)
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.station_list_page(selectors.station_search(), 1, 20)
    assert len(ctx.captured_queries) == 1
    assert page.count == 2
    assert [r["pk"] for r in page.rows] == list(
        Station.objects.filter(pk__in=[a.pk, b.pk]).order_by("town__sort_order", "name").values_list("pk", flat=True)
    )
    row = next(r for r in page.rows if r["pk"] == b.pk)
    assert sorted(row["amenity_ids"].split(",")) == sorted([str(meal.pk), str(water.pk)])


def test_list_page_with_a_position_pages_the_exact_ranking():
    _bulk([_offset(HOME, north_m=700 * i, east_m=300 * (i % 3)) for i in range(45)])
    StationFactory(latitude=None, longitude=None)  # counted, never ranked
    expected = _brute_force(HOME)
    qs = selectors.station_search()
    for number in (1, 2, 3):
        page = selectors.station_list_page(qs, number, 20, HOME)
        assert page.count == 46
        want = expected[(number - 1) * 20 : number * 20]
        assert [(r["pk"], r["distance"]) for r in page.rows] == want


@pytest.mark.parametrize("asked,shown", [("abc", "1"), ("0", "1"), ("99", "2")])
def test_list_page_numbers_behave_as_before(client, asked, shown):
    _bulk([_offset(HOME, north_m=100 * i) for i in range(25)])
    body = client.get(reverse("stations:list"), {"page": asked}).content.decode()
    assert f"第 {shown} / 2 页" in body
    assert body.count('data-testid="station-item"') == (20 if shown == "1" else 5)


def test_list_rows_show_status_amenities_distance_and_navigation(client):
    meal = AmenityFactory(code="meal", name="热饭", sort_order=0)
    water = AmenityFactory(code="water", name="饮水", sort_order=1)
    StationFactory(name="全天驿站", brand="兴惠有你", amenities=[water, meal], latitude=Decimal("32.931000"))
    StationFactory(name="暂停驿站", status=Station.Status.SUSPENDED, status_reason="维修", latitude=Decimal("32.95"))
    body = client.get(reverse("stations:list"), {"lat": "32.93", "lng": "119.84"}).content.decode()
    assert "“兴惠有你”全天驿站" in body
    assert re.search(r'<span class="amenity-chip">热饭</span><span class="amenity-chip">饮水</span>', body)
    assert '<span class="status status--done">24小时开放</span>' in body
    assert '<span class="status status--stale">暂停开放</span>' in body
    assert '<span class="distance" data-testid="distance">111 米</span>' in body
    assert 'aria-label="导航到全天驿站"' in body and body.count('data-testid="row-nav"') == 2


def test_the_filter_sheet_keeps_what_was_chosen(client):
    meal = AmenityFactory(code="meal", name="热饭")
    AmenityFactory(code="water", name="饮水")
    town = TownFactory(name="昭阳街道")
    StationFactory(amenities=[meal], town=town)
    query = {"amenity": "meal", "kind": "outdoor_24h", "town": str(town.pk), "open_now": "on", "lat": "32.9"}
    body = client.get(reverse("stations:list"), {**query, "lng": "119.8"}).content.decode()
    assert 'value="meal" id="id_amenity_0" checked>' in body
    assert 'value="water" id="id_amenity_1">' in body
    assert '<option value="outdoor_24h" selected>' in body
    assert f'<option value="{town.pk}" selected>昭阳街道</option>' in body
    assert 'id="id_open_now" checked>' in body
    assert 'name="lat" id="id_lat" value="32.9"' in body


def test_an_unknown_town_or_amenity_is_dropped_from_the_list_but_refused_by_map_json(client):
    StationFactory(name="留下的驿站")
    body = client.get(reverse("stations:list"), {"town": "999999", "amenity": "nope"}).content.decode()
    assert "留下的驿站" in body
    assert client.get(reverse("stations:map_json"), {"town": "999999"}).status_code == 400


# --- query counts: at most 8 for every public page, the same for 10 or 250 stations -------------

PAGES = [
    ("stations:list", ""),
    ("stations:list", "?amenity=meal&kind=outdoor_24h&open_now=on&h24=1"),
    ("stations:list", "?lat=32.92&lng=119.81"),
    ("stations:list", "?lat=32.92&lng=119.81&page=3"),
    ("stations:list", "?amenity=meal&open_now=on&lat=32.92&lng=119.81"),
    ("stations:list", "?lat=39.9&lng=116.4"),  # far from every station: boxes, then everything
    ("stations:map_json", ""),
    ("stations:map_json", "?amenity=meal&open_now=on"),
    ("stations:map_json", "?lat=32.92&lng=119.81"),
    ("stations:detail", ""),
    ("stations:detail", "?qr=1"),
]


@pytest.mark.parametrize("who", ["anonymous", "worker", "keeper"])
def test_every_public_page_makes_at_most_8_queries_whatever_the_number_of_stations(client, keeper, who):
    meal = AmenityFactory(code="meal")
    town = TownFactory()
    first = StationFactory(town=town, amenities=[meal], keepers=[keeper])
    through = Station.amenities.through

    def grow(n, prefix):
        points = [(32.9 + (i % 50) / 1000, 119.8 + (i // 50) / 1000) for i in range(n)]
        stations = _bulk(points, town=town, prefix=prefix)
        through.objects.bulk_create([through(station=s, amenity=meal) for s in stations])

    if who == "worker":
        client.force_login(UserFactory())
    elif who == "keeper":
        client.force_login(keeper)
    counts = {}
    for size, n in (("small", 9), ("large", 240)):
        grow(n, size)
        for name, params in PAGES:
            url = (reverse(name, args=[first.pk]) if name == "stations:detail" else reverse(name)) + params
            cache.clear()  # bulk_create sends no signals; measure the uncached path
            client.get(url)  # the session and user of a signed-in client settle first
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[(url, size)] = len(ctx.captured_queries)
            assert counts[(url, size)] <= 8, (url, [q["sql"] for q in ctx.captured_queries])
    for name, params in PAGES:
        url = (reverse(name, args=[first.pk]) if name == "stations:detail" else reverse(name)) + params
        if "lat=" not in params:  # "nearest" reads a small set at once, a large one box by box
            assert counts[(url, "small")] == counts[(url, "large")], url


def test_anonymous_list_and_map_carry_nothing_per_visitor(client):
    StationFactory()
    for url in (
        reverse("stations:list"),
        reverse("stations:list") + "?lat=32.9&lng=119.8",
        reverse("stations:map_json"),
    ):
        response = client.get(url)
        assert b"csrfmiddlewaretoken" not in response.content
        assert not response.cookies


def test_map_json_goes_gzipped_to_browsers_and_is_made_once_per_marker_list(
    client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    import gzip
    import json

    settings.FRAGMENT_CACHE_ENABLED = True  # the marker list is a shared fragment
    StationFactory.create_batch(30)
    url = reverse("stations:map_json")
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    built = []
    real = selectors._map_json
    monkeypatch.setattr(selectors, "_map_json", lambda *args: built.append(args) or real(*args))

    for _ in range(3):
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert json.loads(gzip.decompress(packed.content)) == plain.json()
        assert len(packed.content) < len(plain.content) / 3
    assert built == []  # the body made for the first request, kept for the others

    # A change to a station makes it afresh; a position is each visitor's own and never packed.
    station = Station.objects.first()
    station.name = "新名字驿站"
    with django_capture_on_commit_callbacks(execute=True):  # the write commits
        station.save()
    fresh = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "新名字驿站" in gzip.decompress(fresh.content).decode() and len(built) == 1
    near = client.get(url, {"lat": "32.93", "lng": "119.84"}, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in near and near.json()["stations"][0]["distance_m"] >= 0
