"""The dashboard opens this year by default, with or without a plan, and its Excel says what the
page says (the page's rounding, status counts, time progress, demo marking, frozen header)."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, user_with_role):
    client.force_login(user_with_role("leader"))
    return client


def test_this_year_opens_by_default_even_without_a_plan(leader_client):
    PlanFactory(year=2024)
    year = timezone.localdate().year
    response = leader_client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    assert response.context["year"] == year and response.context["plan"] is None
    body = response.content.decode()
    assert 'data-testid="dash-no-plan"' in body and 'data-testid="dash-figures"' in body
    assert leader_client.get(reverse("dashboard:index"), {"year": year}).status_code == 200
    export = leader_client.get(reverse("dashboard:export"), {"year": year})
    assert load_workbook(io.BytesIO(export.content)).sheetnames == ["各项服务"]


def test_the_export_rounds_like_the_page_and_carries_counts_time_and_a_frozen_header(leader_client):
    year = timezone.localdate().year - 2
    plan = PlanFactory(year=year)
    item = ItemFactory(plan=plan, number=1)
    # 2 of 3: the page shows 66 %, one-decimal rounding would say 66.7.
    ReportFactory(indicator=IndicatorFactory(item=item, target=D("3")), amount=D("2"))
    body = leader_client.get(reverse("dashboard:index"), {"year": year}).content.decode()
    assert 'data-testid="dash-percent">66%<' in body
    book = load_workbook(io.BytesIO(leader_client.get(reverse("dashboard:export"), {"year": year}).content))
    ws = book["事项进度"]
    top = [c.value for c in ws[1]]
    assert "全年完成率 66%" in top and "时间进度 100%" in top and "已完成 0，未完成 1" in top
    assert ws.cell(row=3, column=5).value == 66
    assert ws.freeze_panes == "A3" and ws.column_dimensions["B"].width >= 30
    assert book["各项服务"].freeze_panes == "A2"
