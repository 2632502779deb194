"""The main legal-aid journeys in a phone-sized headless Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.enrolment.models import Enrolment
from apps.legal_aid import services
from apps.legal_aid.models import Consultation, DisputeCase, LedgerEntry

from .conftest import PDF
from .factories import (
    DisputeCaseFactory,
    LawyerProfileFactory,
    LegalEventFactory,
    LegalStationFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _switch(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(page, user)


def test_worker_asks_officer_assigns_lawyer_answers(phone_page, browser_login, live_server, user_with_role):
    station = LegalStationFactory(name="老黄维权站", kind="flagship")
    worker = UserFactory(username="worker", real_name="刘师傅")  # with a verified e-mail address
    officer = user_with_role("legal_officer", username="officer", real_name="周部长")
    lawyer_user = user_with_role("lawyer", username="lawyer", real_name="黄律师")
    LawyerProfileFactory(user=lawyer_user, firm=OrganizationFactory(name="昭阳律所"), stations=[station])
    page = phone_page

    browser_login(page, worker)
    page.goto(f"{live_server.url}/legal/")
    page.get_by_test_id("ask").click()
    page.wait_for_url("**/legal/consultations/new/")
    page.select_option("select[name=station]", str(station.pk))
    page.select_option("select[name=topic]", "wages")
    page.fill("input[name=employer_name]", "恒兴科技园")
    page.fill("textarea[name=question]", "老板拖欠两个月工资，怎么办？")
    page.check("input[name=channel][value=written]")
    page.fill("input[name=contact_phone]", "13800000000")
    page.get_by_role("button", name="提交咨询").click()
    expect(page.locator("body")).to_contain_text("请阅读并同意《个人信息保护告知》后再提交咨询。")
    assert not Consultation.objects.exists()
    page.check("input[name=consent]")
    page.get_by_role("button", name="提交咨询").click()
    page.wait_for_url("**/legal/consultations/*/")
    assert page.get_by_test_id("status").inner_text().startswith("已提交")
    consultation = Consultation.objects.get()

    _switch(page, browser_login, officer)
    page.goto(f"{live_server.url}/legal/triage/")
    item = page.get_by_test_id("triage-item").first
    assert "工资拖欠" in item.inner_text()
    item.locator("select[name=lawyer]").select_option(index=1)  # no lawyer is preset
    item.get_by_role("button", name="审查并指派").click()
    page.wait_for_load_state("networkidle")
    assert "已指派给黄律师" in page.locator(".messages").inner_text()

    _switch(page, browser_login, lawyer_user)
    page.goto(f"{live_server.url}/legal/duty/")
    page.get_by_test_id("my-queue").get_by_role("link").first.click()
    page.wait_for_url(f"**/legal/consultations/{consultation.pk}/")
    page.get_by_test_id("answer-form").locator("textarea").fill("先保留考勤和工资条，可以申请调解。")
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("status").inner_text().startswith("已答复")

    _switch(page, browser_login, worker)
    page.goto(f"{live_server.url}/legal/consultations/{consultation.pk}/")
    assert "先保留考勤和工资条" in page.get_by_test_id("answer").inner_text()
    page.get_by_test_id("rate-form").get_by_label("★★★★★", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("rating").inner_text() == "5★"
    assert LedgerEntry.objects.filter(consultation=consultation).count() == 1


def test_mediator_takes_a_case_to_settlement(phone_page, browser_login, live_server, tmp_path, user_with_role):
    mediator = user_with_role("mediator", username="mediator", real_name="陈调解员")
    case = DisputeCaseFactory(respondent_name="恒兴科技园")
    case.mediators.add(mediator)
    page = phone_page
    browser_login(page, mediator)
    page.goto(f"{live_server.url}/legal/mediation/")
    page.get_by_test_id("my-cases").get_by_role("link").first.click()
    page.wait_for_url(f"**/legal/cases/{case.pk}/")

    move = page.get_by_test_id("move-form")
    move.locator("select[name=to_stage]").select_option("mediating")
    move.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("stage").inner_text().startswith("调解中")

    session = page.get_by_test_id("session-form")
    session.locator("input[name=attendees]").fill("申请人、单位人事")
    session.locator("textarea[name=minutes]").fill("单位同意支付九成")
    session.get_by_role("button", name="保存调解记录").click()
    page.wait_for_load_state("networkidle")

    move = page.get_by_test_id("move-form")
    move.locator("select[name=to_stage]").select_option("settled")
    move.locator("input[name=amount_agreed]").fill("900")
    move.locator("input[name=payment_due]").fill((timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    move.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "调解成功须上传双方签字的调解协议书。" in page.locator(".messages").inner_text()
    assert DisputeCase.objects.get().stage == "mediating"

    agreement = tmp_path / "agreement.pdf"
    agreement.write_bytes(PDF)
    move = page.get_by_test_id("move-form")
    move.locator("select[name=to_stage]").select_option("settled")
    move.locator("input[name=agreement_file]").set_input_files(str(agreement))
    move.locator("input[name=amount_agreed]").fill("900")
    move.locator("input[name=payment_due]").fill((timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    move.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("stage").inner_text().startswith("调解成功")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "调解中 → 调解成功" in timeline and "申请人、单位人事" in timeline
    assert page.get_by_test_id("agreement").is_visible()
    case.refresh_from_db()
    assert case.agreement_file and case.amount_agreed == 900


def test_full_event_waiting_list_promoted_on_cancellation(phone_page, browser_login, live_server):
    event = LegalEventFactory(title="实景课堂庭审观摩", capacity=1)
    first = UserFactory(username="first", real_name="先报名")
    second = UserFactory(username="second", real_name="后报名")
    services.event_register(event=event, user=first)
    page = phone_page

    browser_login(page, second)
    page.goto(f"{live_server.url}/legal/events/{event.pk}/")
    page.get_by_role("button", name="加入候补").click()
    page.wait_for_load_state("networkidle")
    assert "名额已满，您已进入候补名单" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("my-registration").inner_text() == "候补中"

    _switch(page, browser_login, first)
    page.goto(f"{live_server.url}/legal/events/{event.pk}/")
    page.get_by_role("button", name="取消报名").click()
    page.wait_for_load_state("networkidle")
    assert "已取消报名" in page.locator(".messages").inner_text()

    # The freed place is offered to the first on the waiting list, who confirms it.
    _switch(page, browser_login, second)
    page.goto(f"{live_server.url}/legal/events/{event.pk}/")
    assert page.get_by_test_id("my-registration").inner_text() == "待确认"
    page.get_by_test_id("offer-accept").click()
    expect(page.get_by_test_id("my-registration")).to_have_text("报名成功")
    assert Enrolment.objects.get(person=second).state == "confirmed"
