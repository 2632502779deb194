"""The main journeys on a phone-sized headless Chromium."""

import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.factories import TownFactory
from apps.reminders.models import Notification
from apps.stations.models import Amenity, Station

from .factories import StationFactory

STATION_KEEPER = "station_keeper"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ME = {"latitude": 32.9300, "longitude": 119.8400}


def _phone(browser, **extra):
    return browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN", **extra
    )


def _no_tiles(page, live_server):
    # No tile server is reachable here: the map must still show markers, list and distances.
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
    )


def _station(name, lat, amenities, **kwargs):
    return StationFactory(
        name=name, latitude=Decimal(str(lat)), longitude=Decimal("119.840000"), amenities=amenities, **kwargs
    )


def test_worker_finds_the_nearest_24h_station_with_hot_meals_and_sees_how_to_get_there(browser, live_server):
    meal = Amenity.objects.create(code="hot-meal", name="热饭", equipment="微波炉", icon="🍱")
    water = Amenity.objects.create(code="water", name="饮水", icon="🚰", sort_order=1)
    town = TownFactory(name="昭阳街道")
    _station(
        "书屋（最近但不是24小时）", 32.9301, [meal, water], kind=Station.Kind.READING_ROOM, is_24h=False, town=town
    )
    _station("只有饮水的驿站", 32.9302, [water], town=town)
    _station("沧浪公园驿站", 32.9350, [meal, water], town=town, phone="0523-83230001")
    _station("远处的驿站", 32.9900, [meal], town=town)

    context = _phone(browser, geolocation=ME, permissions=["geolocation"])
    page = context.new_page()
    _no_tiles(page, live_server)
    page.goto(f"{live_server.url}/stations/")
    assert not page.get_by_text("热饭", exact=True).first.is_visible()  # filters are folded on a phone
    page.get_by_text("筛选", exact=True).click()
    page.get_by_label("热饭").check()
    page.select_option("select[name=kind]", "outdoor_24h")
    page.get_by_role("button", name="查看结果").click()
    page.wait_for_url("**/stations/?*kind=outdoor_24h*")
    assert "amenity=hot-meal" in page.url

    page.get_by_test_id("nearest").click()
    page.wait_for_url(re.compile(r"lat=\d"))
    items = page.get_by_test_id("station-item")
    assert items.count() == 2
    assert "沧浪公园驿站" in items.first.inner_text()
    assert items.first.get_by_test_id("distance").inner_text() == "556 米"
    page.wait_for_selector("#station-map .st-pin, #station-map .st-cluster")  # markers drawn without tiles
    page.wait_for_selector("[data-testid=map-unavailable]:not([hidden])")  # said only once tiles failed
    assert page.get_by_test_id("map-legend").is_visible()
    assert "leaflet" not in page.locator(".leaflet-control-attribution").inner_text().lower()
    # the answer comes first: the nearest station is on screen without scrolling
    box = items.first.bounding_box()
    assert 0 <= box["y"] < 844
    assert items.first.get_by_test_id("row-nav").bounding_box()["height"] >= 44

    items.first.locator(".station-row-main").click()
    page.wait_for_url("**/stations/*/")
    assert page.get_by_role("heading", name="沧浪公园驿站").is_visible()
    amap = page.get_by_test_id("nav-amap")
    assert amap.is_visible()
    assert amap.get_attribute("href").startswith("https://uri.amap.com/navigation?to=119.840000%2C32.935000")
    assert page.get_by_test_id("call").bounding_box()["height"] >= 48
    assert page.get_by_test_id("nav-baidu").is_visible()
    context.close()


def test_keeper_logs_a_broken_microwave_and_staff_are_reminded_once(browser, live_server, browser_login):
    meal = Amenity.objects.create(code="hot-meal", name="热饭", equipment="微波炉", icon="🍱")
    water = Amenity.objects.create(code="water", name="饮水", equipment="饮水机", icon="🚰", sort_order=1)
    keeper = UserFactory(username="keeper", real_name="陈站长")
    keeper.groups.add(Group.objects.get_or_create(name=STATION_KEEPER)[0])
    EmailAddress.objects.get_or_create(user=keeper, email=keeper.email, defaults={"verified": True, "primary": True})
    staff = UserFactory(username="admin", is_staff=True, is_superuser=True)
    station = _station("沧浪公园驿站", 32.935, [meal, water], keepers=[keeper])

    context = _phone(browser)
    page = context.new_page()
    browser_login(page, keeper)
    page.goto(f"{live_server.url}/stations/keeper/")
    page.get_by_role("link", name="登记巡检").click()
    page.wait_for_url("**/inspections/new/")
    page.get_by_test_id("check-hot-meal").get_by_label("损坏").check()
    page.get_by_test_id("check-hot-meal").get_by_placeholder("说明").fill("微波炉不加热")
    page.get_by_label("其余各项全部正常").check()
    page.get_by_role("button", name="提交巡检").click()
    page.wait_for_url("**/stations/keeper/")
    assert "发现 1 项设备问题" in page.locator(".messages").inner_text()
    context.close()

    reminders = Notification.objects.filter(user=staff, kind="stations.inspection_problem")
    assert reminders.count() == 1
    assert station.name in reminders.get().title
    assert "微波炉：损坏" in reminders.get().body


def test_worker_scans_the_door_qr_and_checks_in_on_the_cached_page(browser, live_server, settings):
    settings.PAGE_CACHE_ENABLED = True
    station = _station("沧浪公园驿站", 32.9350, [])
    context = _phone(browser)
    page = context.new_page()
    _no_tiles(page, live_server)
    first = page.goto(f"{live_server.url}{station.get_absolute_url()}?qr=1")
    assert first.headers["x-page-cache"] == "miss"
    # a second worker at the same door gets the cached page, without a token in it
    second_phone = browser.new_context(locale="zh-CN")
    other = second_phone.new_page()
    again = other.goto(f"{live_server.url}{station.get_absolute_url()}?qr=1")
    assert again.headers["x-page-cache"] == "hit"
    assert "csrfmiddlewaretoken" not in other.content()
    other.get_by_text("外卖", exact=True).click()
    other.get_by_test_id("checkin").click()
    other.wait_for_load_state()
    assert other.get_by_text("签到成功").is_visible()
    assert station.visits.filter(occupation="delivery", user__isnull=True).count() == 1
    second_phone.close()
    context.close()


def test_a_map_marker_opens_a_popup_that_links_to_its_station(browser, live_server):
    station = _station("沧浪公园驿站", 32.9350, [])
    page = _phone(browser).new_page()
    _no_tiles(page, live_server)
    page.goto(f"{live_server.url}/stations/")
    page.locator("#station-map .st-pin").first.click()
    link = page.locator(".map-popup a").first
    assert link.inner_text() == "沧浪公园驿站"
    link.click()
    page.wait_for_url(f"**{station.get_absolute_url()}")
