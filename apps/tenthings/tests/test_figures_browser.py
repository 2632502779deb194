"""What a reader sees: an item with an overdue milestone, and a closed year with a 补报 note, on a
phone (390 px) and a desktop (1280 px). Screenshots go to /tmp/shots/figures/."""

import datetime
import pathlib
from decimal import Decimal as D

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.tenthings import services

from .factories import IndicatorFactory, ItemFactory, MilestoneFactory, PlanFactory, ReportFactory

SHOTS = pathlib.Path("/tmp/shots/figures")


def _overdue_item():
    today = timezone.localdate()
    year = today.year
    plan = PlanFactory(year=year)
    item = ItemFactory(plan=plan, number=3, title="为600名职工赠送健康体检", responsible=None)
    quantity = IndicatorFactory(item=item, name="健康体检", comparator="at_least", target=D("600"), unit="名")
    ReportFactory(indicator=quantity, amount=D("540"), reported_on=datetime.date(year, 1, 1), reporter=UserFactory())
    MilestoneFactory(item=item, name="定点医院签约", due_date=datetime.date(year, 1, 1))
    return f"/ten-things/{year}/3/"


def _closed_year_with_a_late_report():
    year = timezone.localdate().year - 2
    plan = PlanFactory(year=year)
    item = ItemFactory(plan=plan, number=1, title="开展劳模“双进”宣讲活动")
    ind = IndicatorFactory(item=item, name="宣讲活动", comparator="at_least", target=D("20"), unit="场")
    ReportFactory(indicator=ind, amount=D("18"), reported_on=datetime.date(year, 11, 1))
    report = services.report_submit(
        indicator=ind,
        reporter=item.responsible,
        reported_on=datetime.date(year, 12, 28),
        narrative="12月两场宣讲",
        amount=D("2"),
        late_reason="台账次年2月才交到市总",
    )
    services.report_verify(report=report, reviewer=UserFactory())
    return f"/ten-things/{year}/", f"/ten-things/{year}/1/"


@pytest.mark.browser
def test_overdue_and_late_notes_read_right_on_a_phone_and_a_desktop(
    transactional_db, live_server, phone_page, desktop_page
):
    if timezone.localdate() <= datetime.date(timezone.localdate().year, 1, 1):
        pytest.skip("on 1 January nothing of this year is overdue yet")
    overdue = _overdue_item()
    year_page, late_item = _closed_year_with_a_late_report()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in (("390", phone_page), ("1280", desktop_page)):
        page.goto(f"{live_server.url}{overdue}")
        assert page.get_by_test_id("item-status").inner_text() == "逾期"
        assert "应于" in page.get_by_test_id("item-overdue").inner_text()
        assert "/ 不少于 600 名" in page.content()
        page.screenshot(path=SHOTS / f"item-overdue-{name}.png", full_page=True)
        page.goto(f"{live_server.url}{late_item}")
        assert "其后补报 1 条，计入后 100%" in page.get_by_test_id("item-frozen").inner_text()
        page.screenshot(path=SHOTS / f"item-late-{name}.png", full_page=True)
        page.goto(f"{live_server.url}{year_page}")
        assert "截至1月15日 90%" in page.get_by_test_id("plan-frozen").inner_text()
        page.screenshot(path=SHOTS / f"year-late-{name}.png", full_page=True)
