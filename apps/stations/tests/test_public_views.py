from decimal import Decimal

import pytest
from django.urls import reverse

from apps.stations.models import Station

from .factories import AmenityFactory, StationFactory

pytestmark = pytest.mark.django_db


def _make_stations(n, amenities=(), prefix="A"):
    town = StationFactory().town
    stations = Station.objects.bulk_create(
        [
            Station(
                code=f"BULK-{prefix}{i}",
                name=f"驿站{i}",
                town=town,
                latitude=Decimal("32.9") + Decimal(i % 50) / 1000,
                longitude=Decimal("119.8") + Decimal(i // 50) / 1000,
                is_24h=True,
            )
            for i in range(n)
        ]
    )
    through = Station.amenities.through
    through.objects.bulk_create([through(station=s, amenity=a) for s in stations for a in amenities])


@pytest.mark.parametrize("url_params", ["", "?lat=32.92&lng=119.81", "?amenity=meal&open_now=on&lat=32.92&lng=119.81"])
def test_list_and_map_json_make_the_same_number_of_queries_for_10_or_300_stations(
    client, django_assert_max_num_queries, url_params
):
    meal = AmenityFactory(code="meal")
    _make_stations(10, [meal])
    counts = {}
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for size in ("small", "large"):
        if size == "large":
            _make_stations(290, [meal], prefix="B")
        for name in ("stations:list", "stations:map_json"):
            cache.clear()  # bulk_create sends no signals; measure the uncached path
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name) + url_params)
            assert response.status_code == 200
            counts[(name, size)] = len(ctx.captured_queries)
    assert counts[("stations:list", "small")] == counts[("stations:list", "large")]
    assert counts[("stations:map_json", "small")] == counts[("stations:map_json", "large")]
    with django_assert_max_num_queries(12):
        client.get(reverse("stations:list") + url_params)


def test_list_orders_by_distance_and_shows_it(client):
    StationFactory(name="远处驿站", latitude=Decimal("32.990000"))
    StationFactory(name="近处驿站", latitude=Decimal("32.931000"))
    response = client.get(reverse("stations:list"), {"lat": "32.93", "lng": "119.84"})
    body = response.content.decode()
    assert body.index("近处驿站") < body.index("远处驿站")
    assert "111 米" in body
    assert "6.7 公里" in body


@pytest.mark.parametrize(
    "lat,lng", [("91", "119.84"), ("32.9", "200"), ("abc", "119.84"), ("32.9", ""), ("nan", "inf")]
)
def test_list_with_a_bad_location_says_so_and_lists_without_distances(client, lat, lng):
    StationFactory(name="沧浪公园驿站")
    response = client.get(reverse("stations:list"), {"lat": lat, "lng": lng})
    assert response.status_code == 200
    body = response.content.decode()
    assert "无法识别您的位置" in body
    assert "沧浪公园驿站" in body
    assert 'data-testid="distance"' not in body


@pytest.mark.parametrize("lat,lng", [("91", "119.84"), ("32.9", "200"), ("north", "east")])
def test_map_json_rejects_a_bad_location_with_a_clear_message(client, lat, lng):
    response = client.get(reverse("stations:map_json"), {"lat": lat, "lng": lng})
    assert response.status_code == 400
    assert "纬度须在 -90 到 90 之间" in response.json()["error"]


def test_map_json_lists_markers_with_open_flag(client):
    station = StationFactory()
    data = client.get(reverse("stations:map_json")).json()
    assert data["count"] == 1
    assert data["stations"][0]["id"] == station.pk
    assert data["stations"][0]["open_now"] is True


def test_map_json_converts_to_gcj02_when_the_tiles_need_it(client, settings):
    StationFactory(latitude=Decimal("32.930000"), longitude=Decimal("119.840000"))
    settings.MAP_TILE_COORDS = "gcj02"
    point = client.get(reverse("stations:map_json")).json()["stations"][0]
    assert (point["lat"], point["lng"]) != (32.93, 119.84)


def test_list_page_passes_tile_settings_to_the_map_without_inline_script(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    body = client.get(reverse("stations:list")).content.decode()
    assert 'id="station-map-config" type="application/json"' in body
    assert "tiles.example.cn" in body
    assert "vendor/leaflet/leaflet.js" in body


def test_detail_shows_navigation_links_hours_amenities_and_qr(client):
    meal = AmenityFactory(code="meal", name="热饭", icon="🍱")
    station = StationFactory(name="沧浪公园驿站", amenities=[meal], phone="0523-83230001")
    body = client.get(station.get_absolute_url()).content.decode()
    assert "uri.amap.com/marker?position=119.840000%2C32.930000" in body
    assert "api.map.baidu.com/marker?location=32.930000%2C119.840000" in body
    assert "coord_type=wgs84" in body
    assert "🍱" in body and "热饭" in body
    assert "24小时开放" in body
    assert reverse("stations:qr", args=[station.pk]) in body


def test_qr_code_is_an_svg_made_by_the_portal(client):
    station = StationFactory()
    response = client.get(reverse("stations:qr", args=[station.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_planned_station_has_no_public_page(client):
    station = StationFactory(status=Station.Status.PLANNED)
    assert client.get(station.get_absolute_url()).status_code == 404
    assert client.get(reverse("stations:qr", args=[station.pk])).status_code == 404


def test_home_page_shows_the_find_a_station_panel(client):
    StationFactory()
    body = client.get("/").content.decode()
    assert "找离我最近的驿站" in body


def test_sitemap_lists_station_pages(client):
    station = StationFactory()
    assert station.get_absolute_url() in client.get("/sitemap.xml").content.decode()
