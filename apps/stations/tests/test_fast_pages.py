"""The station pages stay fast: page numbers, rows, filters and a flat number of queries for any number of stations."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.factories import TownFactory
from apps.stations.models import Station

from .factories import AmenityFactory, StationFactory
from .points import HOME, bulk_stations, offset

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("asked,shown", [("abc", "1"), ("0", "1"), ("99", "2")])
def test_list_page_numbers_behave_as_before(client, asked, shown):
    bulk_stations([offset(HOME, north_m=100 * i) for i in range(25)])
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
        stations = bulk_stations(points, town=town, prefix=prefix)
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
