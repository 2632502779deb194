"""The dashboard on a phone and a desktop: this year without a plan, and a closed year with its
frozen headline. Screenshots go to /tmp/shots/figures/."""

import datetime
import pathlib
from decimal import Decimal as D

import pytest
from django.utils import timezone

from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory, ReportFactory

SHOTS = pathlib.Path("/tmp/shots/figures")


@pytest.mark.browser
def test_the_dashboard_reads_right_with_and_without_a_plan(
    transactional_db, live_server, phone_page, desktop_page, browser_login, user_with_role
):
    year = timezone.localdate().year - 2
    item = ItemFactory(plan=PlanFactory(year=year), number=1, title="开展劳模“双进”宣讲活动")
    ind = IndicatorFactory(item=item, name="宣讲活动", comparator="at_least", target=D("20"), unit="场")
    ReportFactory(indicator=ind, amount=D("18"), reported_on=datetime.date(year, 11, 1))
    leader = user_with_role("leader", username="dash-leader")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in (("390", phone_page), ("1280", desktop_page)):
        browser_login(page, leader)
        page.goto(f"{live_server.url}/dashboard/")
        assert page.get_by_test_id("dash-no-plan").is_visible()
        page.screenshot(path=SHOTS / f"dashboard-this-year-{name}.png", full_page=True)
        page.goto(f"{live_server.url}/dashboard/?year={year}")
        assert "截至1月15日 90%" in page.get_by_test_id("dash-frozen").inner_text()
        page.screenshot(path=SHOTS / f"dashboard-closed-{name}.png", full_page=True)
