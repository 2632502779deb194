"""The benefits journeys on a phone-sized headless Chromium (390 px)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.tests.factories import UserFactory
from apps.benefits import services
from apps.benefits.models import Application, Kind, ProviderStaff, Rule
from apps.core import registry
from apps.enrolment.models import Enrolment

from .factories import OrgFactory, close_window, make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
State = Enrolment.State
WOMEN = [(Rule.Check.FEMALE, "", "仅限女职工")]


def test_a_woman_applies_is_drawn_confirms_books_is_checked_in_and_item_8_moves(
    phone_page, live_server, browser_login, user_with_role
):
    year = timezone.localdate().year
    programme = make_programme(kind=Kind.SCREENING, places=1, rules=WOMEN)
    hospital = OrgFactory(name="兴化市人民医院")
    services.slot_add(
        programme=programme,
        provider=hospital,
        day=timezone.localdate(),
        starts=datetime.time(0, 0),
        ends=datetime.time(23, 59),
        places=2,
    )
    lady = UserFactory(sex="female", birth_date=datetime.date(1982, 6, 1), phone="13700000001")
    before = registry.metric_value("benefits.screening.delivered", year)
    page = browser_login(phone_page, lady)
    page.goto(f"{live_server.url}/benefits/")
    card = page.get_by_test_id("programme-screening")
    assert "可申请" in card.get_by_test_id("state").inner_text()
    card.get_by_role("link", name=programme.name).click()
    page.get_by_test_id("apply").click()
    page.get_by_test_id("consent").check()
    page.get_by_test_id("health-consent").check()
    page.get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("my-state")).to_have_text("已报名待抽签")
    # the window closes; the officer previews and runs the draw
    close_window(programme)
    services.allocation_preview(programme=programme)
    services.allocation_run(programme=programme, by=user_with_role("benefits_officer"))
    page.reload()
    expect(page.get_by_test_id("my-state")).to_have_text("待确认")
    assert (
        programme.roster.__class__.objects.get(pk=programme.roster_id).draw_seed
        in page.get_by_test_id("draw").inner_text()
    )
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state("networkidle")
    page.locator("input[name=slot]").first.check()
    page.get_by_test_id("book").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("booked")).to_contain_text("兴化市人民医院")
    assert page.get_by_test_id("my-code").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # at the hospital, on the nurse's phone
    nurse = user_with_role("benefits_provider")
    ProviderStaff.objects.create(provider=hospital, user=nurse)
    context = phone_page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    desk = browser_login(context.new_page(), nurse)
    desk.goto(f"{live_server.url}/benefits/provider/")
    assert lady.display_name in desk.get_by_test_id("queue").inner_text()
    desk.get_by_test_id("code").fill("13700000001")
    desk.get_by_test_id("checkin").click()
    desk.wait_for_load_state("networkidle")
    expect(desk.locator("body")).to_contain_text("签到成功")
    assert desk.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert Application.objects.get(person=lady).enrolment.state == State.ATTENDED
    assert registry.metric_value("benefits.screening.delivered", year) == before + 1
    # one satisfaction question afterwards
    page.reload()
    page.locator("input[name=score][value='5']").check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("谢谢您的评价")


def test_a_man_sees_ineligible_with_the_reason(phone_page, live_server, browser_login):
    make_programme(kind=Kind.SCREENING, rules=WOMEN)
    page = browser_login(phone_page, UserFactory(sex="male"))
    page.goto(f"{live_server.url}/benefits/")
    card = page.get_by_test_id("programme-screening")
    assert card.get_by_test_id("state").inner_text() == "不符合"
    assert card.get_by_test_id("reason").inner_text().startswith("仅限女职工")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_waiting_worker_is_offered_a_freed_place(phone_page, live_server, browser_login):
    programme = make_programme(kind=Kind.CHECKUP, name="职工健康体检", allocation="first_come", places=1)
    holder, waiter = UserFactory(), UserFactory()
    held = services.apply(programme=programme, person=holder, consent=True, health_consent=True)
    services.apply(programme=programme, person=waiter, consent=True, health_consent=True)
    page = browser_login(phone_page, waiter)
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    expect(page.get_by_test_id("my-state")).to_have_text("候补中")
    assert page.get_by_test_id("position").inner_text() == "候补第 1 位"
    services.application_cancel(application=held, by=holder)
    page.reload()
    expect(page.get_by_test_id("my-state")).to_have_text("待确认")
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("my-state")).to_have_text("报名成功")
