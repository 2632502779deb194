from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.sitemap_files import every_url, file_urls
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


def test_detail_shows_a_call_button_a_route_link_hours_and_amenities_but_no_door_qr(client):
    meal = AmenityFactory(code="meal", name="热饭", icon="🍱")
    station = StationFactory(name="沧浪公园驿站", amenities=[meal], phone="0523-83230001")
    body = client.get(station.get_absolute_url()).content.decode()
    assert "uri.amap.com/navigation?to=119.840000%2C32.930000%2C" in body and "coordinate=wgs84" in body
    assert "api.map.baidu.com/marker?location=32.930000%2C119.840000" in body
    assert 'href="tel:0523-83230001" data-testid="call"' in body and "拨打电话" in body
    assert "🍱" in body and "热饭" in body
    assert "24小时开放" in body
    assert reverse("stations:qr", args=[station.pk]) not in body


def test_door_qr_is_shown_to_the_stations_keeper_and_staff_only(client, keeper, staff, settings):
    settings.SITE_URL = "https://gh.example.cn"
    station = StationFactory(keepers=[keeper])
    qr = reverse("stations:qr", args=[station.pk])
    assert client.get(qr).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert qr not in client.get(station.get_absolute_url()).content.decode()
    assert client.get(qr).status_code == 403
    for person in (keeper, staff):
        client.force_login(person)
        assert qr in client.get(station.get_absolute_url()).content.decode()
        response = client.get(qr)
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]/"])
def test_door_qr_refuses_a_loopback_site_url_and_says_why(client, staff, settings, site_url):
    settings.SITE_URL = site_url
    station = StationFactory()
    client.force_login(staff)
    body = client.get(station.get_absolute_url()).content.decode()
    assert 'data-testid="qr-refused"' in body and "SITE_URL" in body
    assert reverse("stations:qr", args=[station.pk]) not in body
    response = client.get(reverse("stations:qr", args=[station.pk]))
    assert response.status_code == 409 and "SITE_URL" in response.content.decode()


def test_list_rows_carry_a_route_button_and_the_24h_chip_filters(client):
    StationFactory(name="全天驿站", is_24h=True)
    StationFactory(name="白天驿站", is_24h=False)
    body = client.get(reverse("stations:list")).content.decode()
    assert body.count('data-testid="row-nav"') == 2 and "uri.amap.com/navigation" in body
    assert 'data-testid="filter-sheet"' in body and 'data-testid="map-legend"' in body
    body = client.get(reverse("stations:list") + "?h24=1").content.decode()
    assert "全天驿站" in body and "白天驿站" not in body
    names = [s["name"] for s in client.get(reverse("stations:map_json") + "?h24=1").json()["stations"]]
    assert names == ["全天驿站"]


def test_planned_station_has_no_public_page(client):
    station = StationFactory(status=Station.Status.PLANNED)
    assert client.get(station.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("stations:qr", args=[station.pk])).status_code == 404


def test_home_page_shows_the_find_a_station_panel(client):
    StationFactory()
    body = client.get("/").content.decode()
    assert "找离我最近的驿站" in body


def test_sitemap_lists_station_pages_but_not_planned_stations(client):
    station = StationFactory()
    planned = StationFactory(status=Station.Status.PLANNED)
    urls = every_url(client)
    assert f"http://testserver{station.get_absolute_url()}" in urls
    assert f"http://testserver{planned.get_absolute_url()}" not in urls
    assert file_urls(client, "/sitemap-stations.xml") == [f"http://testserver{station.get_absolute_url()}"]


def test_map_markers_leave_out_the_link_and_the_page_gives_the_base_to_build_it(client):
    import json
    import re

    station = StationFactory()
    marker = client.get(reverse("stations:map_json")).json()["stations"][0]
    assert marker["id"] == station.pk and "url" not in marker
    page = client.get(reverse("stations:list")).content.decode()
    config = json.loads(re.search(r'id="station-map-config"[^>]*>(.*?)</script>', page, re.S)[1])
    assert f"{config['stationBase']}{marker['id']}/" == station.get_absolute_url()
