"""The help-request journey on a 390 px phone in headless Chromium: draft → resume → submit →
screened → visited → 公示 → decided → help recorded, seen by the worker in /me/; a stranger
gets 404 on the case and its files. With ASSISTANCE_SCREENSHOTS=<dir>, the request steps, the
officers' queue and the 公示 page are also saved at 390 and 1280 px."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.tests.factories import UserFactory
from apps.assistance.models import Document, HelpRequest
from apps.core.models import AuditEntry

from .factories import PDF, TownFactory, UnionFactory, staff_of

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ASSISTANCE_SCREENSHOTS", "")


def _shot(page, name, browser=None):
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}-390.png"), full_page=True)
    if browser is not None:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.add_cookies(page.context.cookies())
        desk = context.new_page()
        desk.goto(page.url)
        desk.screenshot(path=os.path.join(SHOTS, f"{name}-1280.png"), full_page=True)
        context.close()


def _as(browser, browser_login, user):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    browser_login(page, user)
    return page


def test_a_request_from_draft_to_help_given_on_a_phone(phone_page, browser, browser_login, live_server, tmp_path):
    from apps.accounts.services import role_permissions_sync, user_role_add

    role_permissions_sync()
    town = TownFactory(name="戴南镇")
    union = UnionFactory(name="戴南镇总工会", town=town)
    caseworker = staff_of(union, username="dainan", real_name="钱干事")
    officer = UserFactory(username="helpofficer", real_name="吴主任")
    user_role_add(user=officer, role="assistance_officer")
    worker = UserFactory(username="liu", real_name="刘建国", town=town)
    stranger = UserFactory(username="passerby", real_name="路人")
    paper = tmp_path / "证明.pdf"
    paper.write_bytes(PDF)
    url = live_server.url

    page = phone_page
    browser_login(page, worker)
    page.goto(f"{url}/help/")
    page.get_by_test_id("help-new").click()
    page.fill("input[name=phone]", "13905230000")
    page.select_option("select[name=town]", str(town.pk))
    page.fill("input[name=household_size]", "4")
    page.fill("input[name=household_members]", "妻子、儿子、女儿")
    _shot(page, "step1", browser)
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("困难情况")
    page.check("input[name=income_band][value=below_dibao]")
    page.check("input[name=reason][value=illness]")
    page.fill("textarea[name=story]", "妻子患尿毒症长期透析，两个孩子上学。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    _shot(page, "step2", browser)

    # Later: back through /me/, the draft is where it was left.
    page.goto(f"{url}/me/")
    page.get_by_test_id("assistance-me").get_by_role("link", name="帮扶申请").click()
    expect(page.locator("input[name=household_members]")).to_have_value("妻子、儿子、女儿")
    page.get_by_role("link", name="3. 申请帮扶").click()
    page.check("input[name=asked_help][value=medical]")
    page.fill("input[name=asked_amount]", "5000")
    _shot(page, "step3", browser)
    page.get_by_role("button", name="保存并继续").click()
    page.select_option("select[name=kind]", "medical")
    page.set_input_files("input[name=file]", str(paper))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("documents")).to_contain_text("病历与诊断证明")
    _shot(page, "step4", browser)
    page.get_by_role("button", name="下一步").click()
    # Without the separate consent for health data, nothing is submitted.
    page.check("input[name=consent]")
    page.check("input[name=financial_consent]")
    page.get_by_test_id("submit-request").click()
    expect(page.locator("body")).to_contain_text("健康信息属于敏感个人信息")
    _shot(page, "step5", browser)
    page.check("input[name=consent]")
    page.check("input[name=financial_consent]")
    page.check("input[name=health_consent]")
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_test_id("help-state")).to_have_text("已提交，待初审")
    hr = HelpRequest.objects.get(applicant=worker)
    assert hr.union == union

    cw = _as(browser, browser_login, caseworker)
    cw.goto(f"{url}{hr.get_absolute_url()}")
    cw.check("input[name=decision][value=accept]")
    cw.get_by_role("button", name="提交初审意见").click()
    expect(cw.get_by_test_id("help-state")).to_have_text("初审通过，待入户调查")
    cw.fill("input[name=visitor_one]", "钱干事")
    cw.fill("input[name=visitor_two]", "李干事")
    cw.check("input[name=checklist][value=housing]")
    cw.fill("textarea[name=notes]", "住房与家庭成员属实。")
    cw.set_input_files("input[name=application]", str(paper))
    cw.set_input_files("input[name=authorisation]", str(paper))
    cw.get_by_role("button", name="保存调查记录").click()
    expect(cw.get_by_test_id("help-state")).to_have_text("已入户调查，待核对")
    cw.context.close()

    office = _as(browser, browser_login, officer)
    office.goto(f"{url}/help/queue/")
    expect(office.get_by_test_id("help-queue")).to_contain_text("刘建国")
    _shot(office, "queue", browser)
    office.get_by_role("link", name=f"#{hr.pk}").click()
    office.check("input[name=result][value=match]")
    office.get_by_role("button", name="登记核对结果").click()
    office.select_option("select[name=band]", "deep")
    office.select_option("select[name=help_kind]", "medical")
    office.get_by_role("button", name="开始公示").click()
    expect(office.get_by_test_id("help-state")).to_have_text("公示中")
    # The decision waits for the 公示 to run its 5 working days.
    office.get_by_role("button", name="认定帮扶").click()
    expect(office.locator(".messages")).to_contain_text("公示期满后才能作出决定")

    anonymous = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    anonymous.goto(f"{url}/help/publicity/")
    expect(anonymous.get_by_test_id("publicity-entry")).to_contain_text("刘*")
    expect(anonymous.get_by_test_id("publicity-list")).not_to_contain_text("刘建国")
    _shot(anonymous, "publicity", browser)
    anonymous.context.close()

    # Time passes: the 公示 ended yesterday (the dates moved back, as the calendar would).
    hr.refresh_from_db()
    span = hr.publicity_until - hr.publicity_from + datetime.timedelta(days=1)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    HelpRequest.objects.filter(pk=hr.pk).update(publicity_until=yesterday, publicity_from=yesterday - span)
    office.reload()
    office.fill("input[name=amount]", "3000")
    office.get_by_role("button", name="认定帮扶").click()
    expect(office.get_by_test_id("help-state")).to_have_text("已认定帮扶")
    office.fill("form[data-testid=ledger-form] input[name=amount]", "3000")
    office.fill("form[data-testid=ledger-form] input[name=description]", "医疗救助金")
    office.get_by_role("button", name="登记发放").click()
    expect(office.get_by_test_id("help-ledger")).to_contain_text("3000")
    office.context.close()

    page.goto(f"{url}/me/")
    expect(page.get_by_test_id("assistance-me")).to_contain_text("已发放帮扶")
    page.get_by_test_id("assistance-me").get_by_role("link", name="帮扶申请").click()
    expect(page.get_by_test_id("help-ledger")).to_contain_text("医疗救助金")

    other = _as(browser, browser_login, stranger)
    doc = Document.objects.filter(request=hr).first()
    for path in (hr.get_absolute_url(), f"/help/files/{doc.pk}/", f"/help/requests/{hr.pk}/timeline/"):
        response = other.request.get(f"{url}{path}")
        assert response.status == 404, path
    other.context.close()
    assert AuditEntry.objects.for_object(hr).filter(actor=officer, action="decide").exists()
