"""Each role signs in and reaches its work from the navigation in at most two taps (Chromium),
and the dashboard, review page and report form are photographed at phone and desktop width."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from apps.core.tests.images import png_bytes
from apps.tenthings.models import ProgressReport, ReportPhoto
from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, MilestoneFactory, PlanFactory, ReportFactory

pytestmark = [pytest.mark.browser]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/union-portal-shots"))


def _verified(user):
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@pytest.fixture
def world(transactional_db, user_with_role):
    from django.core.files.base import ContentFile

    year = datetime.date.today().year
    plan = PlanFactory(year=year)
    reporter = _verified(user_with_role("tenthings_reporter", username="tt-reporter", real_name="张填报"))
    health = IndicatorFactory(
        item__plan=plan, item__number=5, item__responsible=reporter, item__title="惠工暖心", name="健康体检"
    )
    health.target = Decimal("600")
    health.save()
    MilestoneFactory(item=health.item, name="驿站选址")
    ItemFactory(plan=plan, number=8, title="女职工关爱", responsible=None)
    ReportFactory(indicator=health, amount=Decimal("412"), reported_on=datetime.date(year, 3, 1))
    pending = ReportFactory(
        indicator=health,
        amount=Decimal("30"),
        status=ProgressReport.Status.SUBMITTED,
        reported_on=datetime.date(year, 4, 1),
        narrative="4月新增健康体检 30 名，附现场照片。",
    )
    ReportPhoto.objects.create(report=pending, image=ContentFile(png_bytes(), name="site.png"))
    return {
        "year": year,
        "reporter": reporter,
        "verifier": _verified(user_with_role("tenthings_verifier", username="tt-verifier", real_name="王核实")),
        "leader": _verified(user_with_role("leader", username="tt-leader", real_name="常主席")),
        "keeper": _verified(user_with_role("station_keeper", username="st-keeper", real_name="陈站长")),
    }


def _tap_nav(page, label):
    """Open the menu if it is folded (one tap) and follow the link (one tap); returns the taps used."""
    taps = 0
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible():
        toggle.click()
        taps += 1
    page.locator("#site-nav a", has_text=label).first.click()
    page.wait_for_load_state("networkidle")
    return taps + 1


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_each_role_reaches_its_work_from_the_navigation(world, live_server, browser_login, request, page_fixture):
    page = request.getfixturevalue(page_fixture)
    cases = [
        ("leader", "领导驾驶舱", "/dashboard/", "[data-testid=dash-percent]"),
        ("verifier", "待核实", "/ten-things/review/", "[data-testid^=pending-]"),
        ("reporter", "我的填报", "/ten-things/mine/", "[data-testid=my-report]"),
        ("keeper", "我的驿站", None, None),
    ]
    for role, label, landing, work in cases:
        page.context.clear_cookies()
        browser_login(page, world[role])
        if landing:  # signing in lands on the role's work
            assert page.url.endswith(landing), (role, page.url)
        page.goto(f"{live_server.url}/")
        taps = _tap_nav(page, label)
        assert taps <= 2, role
        if landing:
            assert page.url.endswith(landing), (role, page.url)
            assert page.locator(work).count() >= 1, role
    # The 待核实 link carries the number of reports waiting.
    page.context.clear_cookies()
    browser_login(page, world["verifier"])
    if page.locator(".nav-toggle").is_visible():
        page.locator(".nav-toggle").click()
    assert page.locator("#site-nav a", has_text="待核实").locator(".nav-badge").inner_text() == "1"


def test_a_reporter_gets_from_sign_in_to_the_report_form_in_one_tap(world, live_server, phone_page, browser_login):
    page = phone_page
    browser_login(page, world["reporter"])
    assert page.url.endswith("/ten-things/mine/")
    page.locator(f"[data-testid=my-item-{world['year']}-5] a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/ten-things/{world['year']}/5/report/")
    # The chosen indicator's figures; the total with this report follows what is typed.
    context = page.locator(".tt-ctx:not([hidden])")
    assert "412" in context.inner_text() and "188" in context.inner_text()
    page.fill("input[name=amount]", "30")
    assert context.locator("[data-after]").inner_text() == "442"
    assert not page.locator("[data-field=milestone_done]").is_visible()
    milestone = page.locator("select[name=indicator] option", has_text="驿站选址").get_attribute("value")
    page.select_option("select[name=indicator]", value=milestone)
    assert page.locator("[data-field=milestone_done]").is_visible()
    assert not page.locator("[data-field=amount]").is_visible()


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_screenshots_of_the_dashboard_review_page_and_report_form(
    world, live_server, browser_login, request, page_fixture, tmp_path
):
    page = request.getfixturevalue(page_fixture)
    width = 390 if page_fixture == "phone_page" else 1280
    browser_login(page, world["leader"])
    page.goto(f"{live_server.url}/dashboard/")
    assert "未指定责任人" in page.inner_text("[data-testid=dash-item-8]")
    assert "张填报" in page.inner_text("[data-testid=dash-item-5]")
    _shoot(page, f"dashboard-{width}.png")

    page.context.clear_cookies()
    browser_login(page, world["verifier"])
    page.goto(f"{live_server.url}/ten-things/review/")
    assert "412 → 442" in page.inner_text("[data-testid=before-after]")
    assert not page.locator("textarea[name=review_comment]").is_visible()  # only when returning
    _shoot(page, f"review-{width}.png")
    page.locator("summary", has_text="退回").click()
    assert page.locator("textarea[name=review_comment]").is_visible()
    with page.expect_popup() as popup:  # a photo opens full size on tap
        page.locator(".tt-photos a").first.click()
    assert popup.value.url.endswith(".png")
    popup.value.close()

    page.context.clear_cookies()
    browser_login(page, world["reporter"])
    page.goto(f"{live_server.url}/ten-things/{world['year']}/5/report/")
    photo = tmp_path / "site.png"
    photo.write_bytes(png_bytes())
    page.fill("input[name=amount]", "30")
    page.set_input_files("input[name=photos]", str(photo))
    page.wait_for_selector("#tt-photo-preview img")
    _shoot(page, f"report-form-{width}.png")
