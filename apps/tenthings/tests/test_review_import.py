"""Bad cells in an imported plan workbook are reported on the import page; nothing is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.tests.factories import UserFactory
from apps.tenthings.excel import plan_export
from apps.tenthings.models import Indicator, Item, Plan

from .factories import IndicatorFactory, ItemFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook():
    plan = PlanFactory(year=2024)
    IndicatorFactory(item=ItemFactory(plan=plan, number=1), name="健康体检", comparator="at_least")
    MilestoneFactory(item=ItemFactory(plan=plan, number=2), name="平台上线")
    wb = load_workbook(io.BytesIO(plan_export(plan)))
    wb["计划"]["A2"] = 2025
    return wb


def _post(client, wb):
    out = io.BytesIO()
    wb.save(out)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    upload = SimpleUploadedFile("plan.xlsx", out.getvalue())
    return client.post(reverse("admin:tenthings_plan_import"), {"file": upload})


@pytest.mark.parametrize(
    "cell, value",
    [
        (("计划", "B2"), "标" * 200),  # plan title longer than the column
        (("事项", "B2"), "事" * 200),  # item title longer than the column
        (("指标", "B2"), "指" * 200),  # indicator name longer than the column
        (("指标", "D2"), "单" * 50),  # unit longer than the column
        (("指标", "F2"), "NaN"),
        (("指标", "F2"), "Infinity"),
        (("指标", "F2"), 10**15),  # more digits than the target column holds
        (("指标", "F2"), "1.005"),  # more decimal places than the column keeps
        (("事项", "F2"), 5000),  # weight beyond 999.99
        (("指标", "H2"), "NaN"),
        (("计划", "E2"), 10**20),  # consecutive year beyond any integer column
        (("计划", "E2"), -1),
    ],
)
def test_a_bad_cell_is_reported_and_nothing_is_written(client, workbook, cell, value):
    sheet, ref = cell
    workbook[sheet][ref] = value
    before = (Item.objects.count(), Indicator.objects.count())
    response = _post(client, workbook)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Plan.objects.filter(year=2025).exists()
    assert (Item.objects.count(), Indicator.objects.count()) == before
