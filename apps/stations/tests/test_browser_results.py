"""Journey 1 and 10 on a 390 px phone: the result of a check-in or rating is where the person is."""

import pytest

from apps.stations.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 80) <= height


def test_check_in_on_a_phone_shows_its_result_in_view(phone_page, live_server, station):
    page = phone_page
    page.goto(f"{live_server.url}{station.get_absolute_url()}")
    page.get_by_text("环卫", exact=True).click()
    page.get_by_test_id("checkin").click()
    done = page.get_by_test_id("checkin-done")
    done.wait_for()
    assert "已签到 ✓" in done.inner_text()
    assert _in_view(page, done)
    assert page.get_by_test_id("checkin").count() == 0  # nothing left to tap twice
    page.screenshot(path="/tmp/shots/journeys/station-checked-in-390.png", full_page=False)


def test_rating_on_a_phone_answers_at_the_form(phone_page, live_server, station, worker, browser_login):
    page = phone_page
    browser_login(page, worker)
    page.goto(f"{live_server.url}{station.get_absolute_url()}")
    page.locator("#feedback").scroll_into_view_if_needed()
    page.locator("#feedback label.chip", has_text="★★★★").first.click()
    page.get_by_label("反映问题", exact=True).select_option("broken")
    page.get_by_label("情况说明").fill("微波炉不加热")
    page.locator("#feedback button[type=submit]").click()
    done = page.get_by_test_id("feedback-done")
    done.wait_for()
    assert "评价已提交 ✓" in done.inner_text() and "驿站管理员" in done.inner_text()
    assert _in_view(page, done)
    assert Rating.objects.get().score in (4, 5)
