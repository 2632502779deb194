"""The dashboard says who, and never says "on track" once the year is over."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client, user_with_role):
    user = user_with_role("leader")
    client.force_login(user)
    return user


def _plan_of_a_past_year():
    """A 2024 plan seen in a later year: one item done, one at 92 %, one barely started, one unassigned."""
    plan = PlanFactory(year=2024)
    done = IndicatorFactory(item=ItemFactory(plan=plan, number=1, title="已完成事项"), target=Decimal("10"))
    ReportFactory(indicator=done, amount=Decimal("10"), reported_on=datetime.date(2024, 11, 2))
    close = IndicatorFactory(item=ItemFactory(plan=plan, number=2, title="差一点事项"), target=Decimal("100"))
    ReportFactory(indicator=close, amount=Decimal("92"), reported_on=datetime.date(2024, 12, 20))
    ReportFactory(indicator=close, amount=Decimal("8"), status="submitted")  # not verified: does not count
    far = IndicatorFactory(item=ItemFactory(plan=plan, number=3, title="刚起步事项"), target=Decimal("100"))
    ReportFactory(indicator=far, amount=Decimal("5"), reported_on=datetime.date(2024, 3, 1))
    IndicatorFactory(item=ItemFactory(plan=plan, number=4, title="无人负责事项", responsible=None))
    return plan


def _row(body, number):
    start = body.index(f'data-testid="dash-item-{number}"')
    return body[start : body.index("</li>", start)]


def test_a_plan_viewed_after_its_year_shows_every_unfinished_item_as_unfinished(client, leader):
    _plan_of_a_past_year()
    body = client.get(reverse("dashboard:index") + "?year=2024").content.decode()
    assert "未完成" in _row(body, 2) and "未完成" in _row(body, 3) and "未完成" in _row(body, 4)
    assert "已完成" in _row(body, 1)
    summary = body[body.index('id="sum-title"') : body.index('id="trend-title"')]
    assert "正常推进" not in body  # no item, and not the plan, reads "on track"
    assert "滞后" not in summary and "未完成 3" in summary and "已完成 1" in summary
    assert "年度已结束" in summary


def test_each_row_says_lead_unit_responsible_person_and_last_verified_date(client, leader):
    plan = _plan_of_a_past_year()
    body = client.get(reverse("dashboard:index") + "?year=2024").content.decode()
    item2 = plan.items.get(number=2)
    row = _row(body, 2)
    assert str(item2.lead_unit) in row and item2.responsible.display_name in row
    assert "2024-12-20" in row
    assert "未指定责任人" in _row(body, 4)
    assert "1 项未指定责任人" in body


def test_the_export_flags_unassigned_items_and_uses_the_year_end_status(client, leader):
    from io import BytesIO

    from openpyxl import load_workbook

    _plan_of_a_past_year()
    response = client.get(reverse("dashboard:export") + "?year=2024")
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    by_number = {row[0]: row for row in rows[2:]}
    assert by_number[4][3] == "未指定责任人"
    assert by_number[2][5] == "未完成" and by_number[1][5] == "已完成"


def test_the_monthly_chart_has_one_scale_and_labelled_months(client, leader):
    _plan_of_a_past_year()
    body = client.get(reverse("dashboard:index") + "?year=2024").content.decode()
    chart = body[body.index('data-testid="dash-chart"') : body.index("</svg>", body.index('data-testid="dash-chart"'))]
    assert all(f">{m}月<" in chart for m in range(1, 13))
    assert 'class="bar"' not in chart  # no report counts drawn against the percent axis
    assert "时间进度" in chart and "完成率" in chart
