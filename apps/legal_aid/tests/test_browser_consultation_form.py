"""Journey 8 on a 390 px phone: all problems at once, in view; the slots follow the chosen station."""

import pytest

from .factories import DutyShiftFactory, LegalStationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultation_form_on_a_phone(phone_page, desktop_page, live_server, browser_login, worker, station):
    other = LegalStationFactory(name="戴南镇法律服务站")
    mine = DutyShiftFactory(station=station)
    theirs = DutyShiftFactory(station=other)
    page = phone_page
    browser_login(page, worker)
    page.goto(f"{live_server.url}/legal/consultations/new/")
    assert page.locator("select[name=station] option").first.inner_text() == "不确定，由工会分派"
    page.select_option("select[name=station]", str(station.pk))
    page.get_by_label("预约值班时段").check()
    shown = page.locator("select[name=shift] option:not([hidden])")
    values = shown.evaluate_all("(options) => options.map((o) => o.value)")
    assert str(mine.pk) in values and str(theirs.pk) not in values
    page.fill("textarea[name=question]", "")
    page.get_by_role("button", name="提交咨询").click()
    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "请选择一个预约时段" in text and "个人信息保护告知" in text and "问题描述" in text
    box = summary.bounding_box()
    assert box["y"] < page.viewport_size["height"]  # the list of problems is on screen, not above it
    page.screenshot(path="/tmp/shots/journeys/consultation-errors-390.png", full_page=False)

    browser_login(desktop_page, worker)
    desktop_page.goto(f"{live_server.url}/legal/consultations/new/")
    desktop_page.get_by_role("button", name="提交咨询").click()
    desktop_page.get_by_test_id("error-summary").wait_for()
    desktop_page.screenshot(path="/tmp/shots/journeys/consultation-errors-1280.png", full_page=False)
