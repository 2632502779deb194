"""Foundation journeys in a real headless Chromium: phone-sized sign-in to /me/ and the menu."""

import pytest
from playwright.sync_api import expect

from apps.accounts.tests.factories import UserFactory
from apps.reminders.services import notification_send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_signs_in_on_a_phone_and_sees_my_records_and_unread_badge(live_server, phone_page, browser_login):
    user = UserFactory(username="liushifu", real_name="刘师傅")
    notification_send(user=user, key="welcome", title="欢迎使用职工服务门户")
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.locator(".brand-text strong").inner_text() == "兴化市总工会"
    # the menu is folded on a phone and opens with the toggle (JS from our own origin)
    assert not page.locator("#site-nav").is_visible()
    page.click(".nav-toggle")
    assert page.locator("#site-nav").is_visible()

    browser_login(page, user)
    assert page.url.endswith("/me/")
    assert page.locator("h1").inner_text() == "我的"
    expect(page.locator("body")).to_contain_text("刘师傅")
    assert page.locator("[data-testid=unread-count]").inner_text() == "1"
    page.click("a[href='/me/notifications/']")
    page.click("text=欢迎使用职工服务门户")
    page.goto(live_server.url + "/me/")
    assert page.locator("[data-testid=unread-count]").count() == 0


def test_wrong_password_shows_a_chinese_error_on_desktop(live_server, desktop_page):
    user = UserFactory()
    page = desktop_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", "wrong-password")
    page.click("form button[type=submit]")
    expect(page.locator("body")).to_contain_text("用户名")
    expect(page.locator("body")).to_contain_text("不正确")
    assert page.url.endswith("/accounts/login/")
