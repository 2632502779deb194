import io

import pytest
from openpyxl import load_workbook

from apps.tenthings.excel import PlanImportError, plan_export, plan_import
from apps.tenthings.models import Indicator, Item, Plan

from .factories import IndicatorFactory, ItemFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def exported():
    plan = PlanFactory(year=2024)
    item = ItemFactory(plan=plan, number=1)
    IndicatorFactory(item=item, name="健康体检", comparator="at_least")
    MilestoneFactory(item=ItemFactory(plan=plan, number=2), name="平台上线")
    return plan, plan_export(plan)


def test_export_then_import_round_trips_into_a_new_year(exported):
    _plan, data = exported
    wb = load_workbook(io.BytesIO(data))
    wb["计划"]["A2"] = 2025
    plan = plan_import(_workbook_bytes(wb))
    assert plan.year == 2025
    assert list(plan.items.values_list("number", flat=True)) == [1, 2]
    ind = Indicator.objects.get(item__plan=plan, name="健康体检")
    assert (ind.target, ind.unit, ind.comparator) == (600, "名", "at_least")
    assert Indicator.objects.get(item__plan=plan, name="平台上线").kind == "milestone"


def test_import_with_a_missing_column_changes_nothing(exported):
    _plan, data = exported
    wb = load_workbook(io.BytesIO(data))
    wb["指标"].delete_cols(6)  # 目标值
    wb["计划"]["A2"] = 2025
    with pytest.raises(PlanImportError) as exc:
        plan_import(_workbook_bytes(wb))
    assert [(e.sheet, e.line, e.column) for e in exc.value.errors] == [("指标", 1, "目标值")]
    assert not Plan.objects.filter(year=2025).exists()


def test_import_reports_every_bad_row_and_writes_nothing(exported):
    _plan, data = exported
    wb = load_workbook(io.BytesIO(data))
    wb["计划"]["A2"] = 2025
    wb["事项"]["A3"] = 1  # duplicate item number
    wb["指标"]["F2"] = 0  # target of zero
    with pytest.raises(PlanImportError) as exc:
        plan_import(_workbook_bytes(wb))
    found = {(e.sheet, e.line, e.column) for e in exc.value.errors}
    assert ("事项", 3, "序号") in found
    assert ("指标", 2, "目标值") in found
    assert any("重复" in e.reason for e in exc.value.errors)
    assert not Plan.objects.filter(year=2025).exists()
    assert Item.objects.count() == 2


def test_reimport_of_a_changed_target_keeps_history(exported):
    plan, data = exported
    wb = load_workbook(io.BytesIO(data))
    wb["指标"]["F2"] = 650
    plan_import(_workbook_bytes(wb))
    ind = Indicator.objects.get(item__plan=plan, name="健康体检")
    assert ind.target == 650
    assert ind.events.get().new_value == "650 名"
