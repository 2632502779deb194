"""Status that means what it says: due dates count, comparators in their legal sense, the year
closes exactly at 00:00 on 1 January (Asia/Shanghai)."""

import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.core.status import Status, completion_of, status_on, target_met
from apps.tenthings.selectors import item_page, plan_progress

from .factories import IndicatorFactory, ItemFactory, MilestoneFactory, PlanFactory, ReportFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local_day(*args) -> datetime.date:
    """The Asia/Shanghai day of a wall-clock moment given in UTC."""
    return timezone.localdate(datetime.datetime(*args, tzinfo=datetime.UTC))


@pytest.mark.parametrize(
    ("comparator", "value", "met"),
    [
        ("at_least", 20, True),  # 不少于 20: 20 is enough
        ("at_least", 19, False),
        ("over", 20, True),  # 以上 includes the number itself (民法典 第一千二百五十九条)
        ("over", 19, False),
        ("", 20, True),
        ("about", 19, True),  # 约 20: within ±5 %
        ("about", D("18.99"), False),
        ("about", 21, True),
        ("more", 20, False),  # 20余 / 20多: more than the number only
        ("more", 21, True),
    ],
)
def test_comparators_mean_what_they_say(comparator, value, met):
    assert target_met(value, 20, comparator) is met
    assert (completion_of(value, 20, comparator) == 1) is met


@override_settings(FIGURES_ABOUT_TOLERANCE="0.10")
def test_the_about_tolerance_is_a_setting_and_shown_with_the_target():
    assert target_met(18, 20, "about")
    ind = IndicatorFactory.build(comparator="about", target=D("100"), unit="人次")
    assert ind.target_label == "约 100 人次（±10%）"


def test_a_20余_target_reached_exactly_is_not_done():
    assert completion_of(20, 20, "more") < 1
    assert status_on(completion_of(20, 20, "more"), year=2024, today=datetime.date(2025, 1, 1)) == Status.UNFINISHED


@pytest.mark.django_db
def test_the_comparator_is_shown_with_every_target(client):
    plan = PlanFactory(year=2024)
    item = ItemFactory(plan=plan, number=1)
    at_least = IndicatorFactory(item=item, comparator="at_least", target=D("20"), unit="场")
    over = IndicatorFactory(item=item, comparator="over", target=D("10000"), unit="名")
    ReportFactory(indicator=at_least, amount=D("22"))
    ReportFactory(indicator=over, amount=D("10000"))
    body = client.get(reverse("tenthings:item", args=[2024, 1])).content.decode()
    assert "22 / 不少于 20 场" in body
    assert "10000 / 10000 名以上" in body
    [progress] = plan_progress(plan).items
    assert progress.status == Status.DONE  # both met at the number itself


@pytest.mark.django_db
def test_a_missed_milestone_is_overdue_on_the_item_and_the_indicator_with_its_date(client):
    today = timezone.localdate()
    plan = PlanFactory(year=today.year)
    item = ItemFactory(plan=plan, number=1)
    quantity = IndicatorFactory(item=item, target=D("10"), unit="场")
    ReportFactory(indicator=quantity, amount=D("10"), reported_on=datetime.date(today.year, 1, 1))
    due = today - datetime.timedelta(days=1)
    if due.year != today.year:  # 1 January: nothing of this year can be due yet
        pytest.skip("no past day in this year")
    MilestoneFactory(item=item, due_date=due, name="签约定点医院")
    page = item_page(today.year, 1, today=today)
    assert page.progress.status == Status.OVERDUE  # 50 %, yet never 正常推进
    [row] = page.progress.overdue_rows
    assert row.indicator.name == "签约定点医院"
    body = client.get(reverse("tenthings:item", args=[today.year, 1])).content.decode()
    assert "逾期" in body and f"{due:%Y-%m-%d}" in body
    # On its due day it is not overdue yet.
    assert item_page(today.year, 1, today=due).progress.status != Status.OVERDUE


@pytest.mark.django_db
def test_a_quantity_that_missed_its_due_date_at_95_percent_is_overdue():
    today = timezone.localdate()
    year = today.year - 1  # judged as of 31 Dec in a closed year, the due date inside it
    plan = PlanFactory(year=year)
    item = ItemFactory(plan=plan, number=1)
    ind = IndicatorFactory(item=item, target=D("100"), unit="人", due_date=datetime.date(year, 6, 30))
    ReportFactory(indicator=ind, amount=D("95"), reported_on=datetime.date(year, 6, 1))
    running = plan_progress(plan, today=datetime.date(year, 9, 1))
    assert running.items[0].status == Status.OVERDUE
    assert running.items[0].indicators[0].overdue
    assert plan_progress(plan, today=datetime.date(year, 6, 30)).items[0].status == Status.NORMAL
    assert plan_progress(plan, today=today).items[0].status == Status.UNFINISHED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "closed", "status"),
    [
        # 23:59:59 on 31 Dec in Shanghai is 15:59:59 UTC: the year still runs.
        ((2024, 12, 31, 15, 59, 59), False, Status.NORMAL),
        # 00:00:00 on 1 Jan in Shanghai (16:00 UTC on 31 Dec): the year is closed.
        ((2024, 12, 31, 16, 0, 0), True, Status.UNFINISHED),
    ],
)
def test_the_year_closes_at_midnight_shanghai_time(moment, closed, status):
    plan = PlanFactory(year=2024)
    item = ItemFactory(plan=plan, number=1)
    ReportFactory(indicator=IndicatorFactory(item=item, target=D("100")), amount=D("95"))
    today = _local_day(*moment)
    progress = plan_progress(plan, today=today)
    assert progress.closed is closed
    assert progress.items[0].status == status
    assert progress.status == status
    assert status_on(D("0.95"), year=2024, today=today) == status
