"""The main membership journeys on a 390 px phone in headless Chromium: a courier joins, is
routed to the industry union, accepted, and a station keeper's phone verifies the card; a
member's transfer. With MEMBERSHIP_SCREENSHOTS=<dir>, the pages are also saved at 390 and 1280 px."""

import os

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Occupation
from apps.core.models import UnionStaff
from apps.membership.models import Application, Member

from .factories import EmployerFactory, TownFactory, UnionFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("MEMBERSHIP_SCREENSHOTS", "")


def _shot(page, name, browser=None):
    """Save the page at phone width, and at desk width in a second context when asked."""
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


def _world():
    from apps.accounts.services import role_permissions_sync, user_role_add
    from apps.core.models import Organization

    role_permissions_sync()
    town = TownFactory(name="戴南镇")
    city = UnionFactory(name="兴化市总工会", union_level=Organization.UnionLevel.CITY)
    UnionFactory(name="戴南镇总工会", union_level=Organization.UnionLevel.TOWN, town=town, parent=city)
    courier = UnionFactory(
        name="兴化市快递行业工会",
        union_level=Organization.UnionLevel.INDUSTRY,
        industry=Occupation.COURIER,
        parent=city,
    )
    chain_union = UnionFactory(name="东华链条兴化有限公司工会", town=town)
    EmployerFactory(name="东华链条兴化有限公司", town=town, covered_by=chain_union)
    staff = UserFactory(username="kuaidi", real_name="赵干事")
    user_role_add(user=staff, role="union_staff")
    UnionStaff.objects.create(union=courier, user=staff)
    chain_staff = UserFactory(username="donghua", real_name="李干事")
    user_role_add(user=chain_staff, role="union_staff")
    UnionStaff.objects.create(union=chain_union, user=chain_staff)
    keeper = UserFactory(username="keeper", real_name="驿站管理员")
    user_role_add(user=keeper, role="station_keeper")
    return town, courier, chain_union, staff, chain_staff, keeper


def test_a_courier_joins_is_accepted_and_a_keepers_phone_verifies_the_card(
    phone_page, browser, browser_login, live_server, settings
):
    settings.SITE_URL = live_server.url
    town, courier, _chain_union, staff, _chain_staff, keeper = _world()
    worker = WorkerFactory(username="liu", real_name="")
    page = phone_page

    browser_login(page, worker)
    page.goto(f"{live_server.url}/membership/join/")
    page.fill("input[name=real_name]", "刘晓明")
    page.fill("input[name=employer_name]", "中通快递戴南网点")
    page.select_option("select[name=occupation]", Occupation.COURIER)
    page.select_option("select[name=town]", str(town.pk))
    _shot(page, "join", browser)
    page.get_by_role("button", name="提交入会申请").click()
    expect(page.locator("body")).to_contain_text("请阅读并同意入会告知后再提交")
    assert not Application.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.check("input[name=consent]")
    page.get_by_role("button", name="提交入会申请").click()
    page.wait_for_url("**/me/")
    panel = page.get_by_test_id("membership-me")
    _shot(page, "me")
    assert "兴化市快递行业工会" in panel.inner_text() and "待审核" in panel.inner_text()
    application = Application.objects.get(person=worker)
    assert application.union == courier and application.route == "industry"

    page.context.clear_cookies()
    browser_login(page, staff)
    page.goto(f"{live_server.url}/membership/queue/")
    assert "刘晓明" in page.get_by_test_id("queue").inner_text()
    _shot(page, "queue", browser)
    page.get_by_test_id("accept").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("已同意入会")
    member = Member.objects.get(person=worker)

    page.context.clear_cookies()
    browser_login(page, worker)
    page.goto(f"{live_server.url}/me/card/")
    card = page.get_by_test_id("member-card")
    assert member.number in card.inner_text() and "刘晓明" in card.inner_text()
    assert page.locator(".mship-qr-code svg").count() == 1
    assert page.locator(".mship-qr-code svg").bounding_box()["width"] >= 200  # big enough to scan
    _shot(page, "card", browser)
    verify_url = page.get_by_test_id("verify-link").get_attribute("href")

    keeper_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    keeper_page = keeper_context.new_page()
    browser_login(keeper_page, keeper)
    keeper_page.goto(verify_url)
    result = keeper_page.get_by_test_id("verify-result")
    assert result.get_attribute("data-valid") == "true"
    assert "刘*明" in result.inner_text() and "兴化市快递行业工会" in result.inner_text()
    assert "刘晓明" not in keeper_page.content() and member.number not in keeper_page.content()
    _shot(keeper_page, "verify", browser)
    keeper_page.goto(verify_url[:-3] + "abc/")
    assert keeper_page.get_by_test_id("verify-result").get_attribute("data-valid") == "false"
    _shot(keeper_page, "verify-invalid")
    keeper_context.close()


def test_a_member_moves_to_a_new_employer_and_the_new_union_accepts(phone_page, browser_login, live_server):
    from apps.membership import services
    from apps.membership.tests.factories import submit

    town, courier, chain_union, staff, chain_staff, _keeper = _world()
    worker = WorkerFactory(username="wang", real_name="王芳")
    member = services.application_accept(
        application_id=submit(worker, town=town, occupation=Occupation.COURIER, real_name="王芳").pk, by=staff
    )
    page = phone_page
    browser_login(page, worker)
    page.goto(f"{live_server.url}/membership/transfer/")
    page.select_option("select[name=employer]", label="东华链条兴化有限公司")
    page.select_option("select[name=town]", str(town.pk))
    page.get_by_role("button", name="申请接转").click()
    page.wait_for_url("**/me/card/")
    expect(page.locator("body")).to_contain_text("接转申请已提交")

    page.context.clear_cookies()
    browser_login(page, chain_staff)
    page.goto(f"{live_server.url}/membership/queue/")
    assert "王芳" in page.get_by_test_id("transfers").inner_text()
    page.get_by_test_id("transfer-accept").click()
    page.wait_for_load_state("networkidle")
    member.refresh_from_db()
    assert member.union == chain_union and member.state == "active"

    page.context.clear_cookies()
    browser_login(page, worker)
    page.goto(f"{live_server.url}/me/card/")
    assert member.number in page.get_by_test_id("card-number").inner_text()
    assert "兴化市快递行业工会 → 东华链条兴化有限公司工会" in page.get_by_test_id("ledger").inner_text()
