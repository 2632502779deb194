"""The main journeys on a phone-sized headless Chromium (390 px)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.tests.factories import UserFactory
from apps.activities import services
from apps.activities.models import Kind
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, Enrolment, Satisfaction
from apps.reminders.models import Notification

from .factories import DepartmentFactory, make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_finds_signs_up_is_reminded_checks_in_at_the_door_and_rates(phone_page, live_server, browser_login):
    soon = timezone.now() + datetime.timedelta(minutes=30)
    activity = make_activity(kind=Kind.TRAINING, title="短视频制作", sessions=1, start=soon)
    tomorrow = soon + datetime.timedelta(days=1)
    services.session_add(activity=activity, starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=2))
    worker = UserFactory()
    page = browser_login(phone_page, worker)
    page.goto(f"{live_server.url}/activities/")
    page.get_by_role("link", name="短视频制作").first.click()
    page.get_by_test_id("signup").click()
    page.wait_for_load_state("networkidle")
    assert "报名成功" in page.get_by_test_id("mine").inner_text()
    assert page.get_by_test_id("my-code").is_visible()
    # the evening before: the reminder names the place and links the worker's own code
    assert engine.tomorrow_remind() == 1
    note = Notification.objects.get(user=worker, kind="enrolment.tomorrow")
    assert note.url.endswith("#my-code")
    # at the door: the QR on the wall opens the check-in page
    occasion = activity.sessions.order_by("occasion__starts_at").first().occasion
    page.goto(f"{live_server.url}/activities/checkin/{engine.door_token(occasion=occasion)}/")
    page.get_by_test_id("door-checkin").click()
    assert "签到成功" in page.get_by_test_id("door-ok").inner_text()
    assert Attendance.objects.filter(enrolment__person=worker).count() == 1
    page.goto(f"{live_server.url}{activity.get_absolute_url()}")
    page.locator("input[name=score][value='5']").check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("谢谢您的评价")
    assert Satisfaction.objects.get(enrolment__person=worker).score == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_full_activity_waiting_list_then_promoted_when_someone_cancels(phone_page, live_server, browser_login):
    activity = make_activity(title="电商直播", places=1)
    holder, waiter = UserFactory(), UserFactory()
    held = engine.signup(roster=activity.roster, person=holder).enrolment
    page = browser_login(phone_page, waiter)
    page.goto(f"{live_server.url}{activity.get_absolute_url()}")
    assert page.get_by_test_id("signup").inner_text() == "加入候补"
    page.get_by_test_id("signup").click()
    page.wait_for_load_state("networkidle")
    assert "候补第 1 位" in page.get_by_test_id("position").inner_text()
    engine.enrolment_cancel(enrolment=held, by=holder)  # on_commit runs: this test commits for real
    assert Notification.objects.filter(user=waiter, kind="enrolment.offered").exists()
    page.reload()
    page.get_by_test_id("accept").click()
    page.wait_for_load_state("networkidle")
    assert "报名成功" in page.get_by_test_id("mine").inner_text()
    assert Enrolment.objects.get(person=waiter).state == Enrolment.State.CONFIRMED


def test_organiser_checks_people_in_on_a_phone_by_number(phone_page, live_server, browser_login):
    department = DepartmentFactory(name="兴化市总工会宣传教育部")
    organiser = UserFactory(roles=["activity_organiser"], employer=department)
    activity = make_activity(organiser=department, start=timezone.now() + datetime.timedelta(minutes=20))
    worker = UserFactory(phone="13911112222", real_name="赵师傅")
    engine.signup(roster=activity.roster, person=worker)
    session = activity.sessions.get()
    page = browser_login(phone_page, organiser)
    page.goto(f"{live_server.url}/activities/manage/")
    page.get_by_role("link", name="名单与签到").first.click()
    page.get_by_role("link", name="签到页").first.click()
    assert page.get_by_test_id("door-qr").is_visible()
    page.fill("input[name=code]", "13911112222")
    page.get_by_role("button", name="签到", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("赵师傅 签到成功")
    assert "赵师傅" in page.get_by_test_id("recent").inner_text()
    assert Attendance.objects.filter(occasion=session.occasion).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
