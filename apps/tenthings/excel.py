"""Excel export and import of a plan with its items and indicators (one format both ways).

An import checks the whole workbook first and reports every bad cell (sheet, line, column,
reason); it writes nothing unless the whole file is valid.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

from apps.core.excel import SafeWorkbook
from apps.core.models import Organization

from .models import Indicator, Item, Plan

PLAN_SHEET = "计划"
ITEM_SHEET = "事项"
INDICATOR_SHEET = "指标"
PLAN_COLUMNS = ["年度", "标题", "票决会议", "票决日期", "连续第几年", "说明"]
ITEM_COLUMNS = ["序号", "事项名称", "内容", "牵头单位", "责任人", "权重"]
INDICATOR_COLUMNS = ["事项序号", "指标名称", "类型", "单位", "比较方式", "目标值", "截止日期", "权重", "联动指标"]
KIND_LABELS = {"数量": Indicator.Kind.QUANTITY, "节点": Indicator.Kind.MILESTONE}
COMPARATOR_LABELS = {"": "", "不少于": "at_least", "约": "about", "以上": "over", "多": "more", "余": "more"}


@dataclass(frozen=True)
class RowError:
    sheet: str
    line: int
    column: str
    reason: str

    def __str__(self):
        return f"{self.sheet} 第{self.line}行 [{self.column}]：{self.reason}"


class PlanImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _header(ws, columns):
    SafeWorkbook.append(ws, columns)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C8161D")
    for i, name in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = max(10, len(name) * 3)


def plan_export(plan: Plan) -> bytes:
    """The plan, its items and indicators as an .xlsx file (importable as is)."""
    return _plan_workbook(plan).to_bytes()


def plan_export_response(plan: Plan) -> HttpResponse:
    """The plan's .xlsx file as a download (the admin's export and the site's both send this)."""
    return _plan_workbook(plan).response(f"tenthings-{plan.year}.xlsx")


def _plan_workbook(plan: Plan) -> SafeWorkbook:
    book = SafeWorkbook()
    ws = book.sheet(PLAN_SHEET)
    _header(ws, PLAN_COLUMNS)
    book.append(ws, [plan.year, plan.title, plan.meeting, plan.voted_on, plan.consecutive_year, plan.summary])
    items = list(plan.items.select_related("lead_unit", "responsible").prefetch_related("indicators"))
    ws = book.sheet(ITEM_SHEET)
    _header(ws, ITEM_COLUMNS)
    for item in items:
        book.append(
            ws,
            [
                item.number,
                item.title,
                item.description,
                item.lead_unit.name if item.lead_unit else "",
                item.responsible.username if item.responsible else "",
                float(item.weight),
            ],
        )
    ws = book.sheet(INDICATOR_SHEET)
    _header(ws, INDICATOR_COLUMNS)
    kinds = {v: k for k, v in KIND_LABELS.items()}
    comparators = {v: k for k, v in COMPARATOR_LABELS.items()}
    for item in items:
        for ind in item.indicators.all():
            book.append(
                ws,
                [
                    item.number,
                    ind.name,
                    kinds[ind.kind],
                    ind.unit,
                    comparators.get(ind.comparator, ""),
                    float(ind.target) if ind.target is not None else None,
                    ind.due_date,
                    float(ind.weight),
                    ind.metric_key,
                ],
            )
    return book


class _Sheet:
    """Rows of one sheet as dicts by header name, with the errors found while reading them."""

    def __init__(self, wb, name, columns, errors):
        self.name = name
        self.rows: list[tuple[int, dict]] = []
        if name not in wb.sheetnames:
            errors.append(RowError(name, 0, "—", _("缺少工作表“%(name)s”。") % {"name": name}))
            self.ok = False
            return
        ws = wb[name]
        values = list(ws.iter_rows(values_only=True))
        header = [str(v).strip() if v is not None else "" for v in (values[0] if values else [])]
        missing = [c for c in columns if c not in header]
        for column in missing:
            errors.append(RowError(name, 1, column, _("缺少列“%(column)s”。") % {"column": column}))
        self.ok = not missing
        if not self.ok:
            return
        index = {c: header.index(c) for c in columns}
        for line, row in enumerate(values[1:], start=2):
            if row is None or all(v is None or str(v).strip() == "" for v in row):
                continue
            self.rows.append((line, {c: (row[i] if i < len(row) else None) for c, i in index.items()}))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value):
    if value is None or _text(value) == "":
        return None
    try:
        number = Decimal(_text(value))
    except InvalidOperation:
        raise ValueError(_("不是数字：%(value)s") % {"value": value}) from None
    if not number.is_finite():  # NaN and Infinity parse, but are no figures
        raise ValueError(_("不是数字：%(value)s") % {"value": value})
    return number


def _date(value):
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value)[:10])
    except ValueError:
        raise ValueError(_("日期格式应为 2024-12-31：%(value)s") % {"value": value}) from None


def _int(value):
    number = _decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(_("应为整数：%(value)s") % {"value": value})
    return int(number)


def _cell(errors, sheet, line, column, parse, value):
    try:
        return parse(value)
    except ValueError as exc:
        errors.append(RowError(sheet, line, column, str(exc)))
        return None


def _fits(errors, sheet, line, column, model, name, value):
    """The model field's own checks (length, digits, range), reported like any other bad cell."""
    if value is None or value == "":
        return
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as exc:
        errors.extend(RowError(sheet, line, column, message) for message in exc.messages)


def plan_import_parse(data: bytes) -> dict:
    """Read and check a workbook; raise PlanImportError listing every problem."""
    errors: list[RowError] = []
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception:
        raise PlanImportError([RowError("—", 0, "—", _("无法读取文件，请上传 .xlsx 格式的 Excel 文件。"))]) from None
    plan_sheet = _Sheet(wb, PLAN_SHEET, PLAN_COLUMNS, errors)
    item_sheet = _Sheet(wb, ITEM_SHEET, ITEM_COLUMNS, errors)
    ind_sheet = _Sheet(wb, INDICATOR_SHEET, INDICATOR_COLUMNS, errors)
    if errors:
        raise PlanImportError(errors)

    plan_data = {}
    if len(plan_sheet.rows) != 1:
        errors.append(RowError(PLAN_SHEET, 2, "年度", _("“计划”表应有且只有一行数据。")))
    else:
        line, row = plan_sheet.rows[0]
        year = _cell(errors, PLAN_SHEET, line, "年度", _int, row["年度"])
        if year is None or not 2000 <= year <= 2100:
            errors.append(RowError(PLAN_SHEET, line, "年度", _("年度应为 2000–2100 之间的年份。")))
        if not _text(row["标题"]):
            errors.append(RowError(PLAN_SHEET, line, "标题", _("标题不能为空。")))
        plan_data = {
            "year": year,
            "title": _text(row["标题"]),
            "meeting": _text(row["票决会议"]),
            "voted_on": _cell(errors, PLAN_SHEET, line, "票决日期", _date, row["票决日期"]),
            "consecutive_year": _cell(errors, PLAN_SHEET, line, "连续第几年", _int, row["连续第几年"]),
            "summary": _text(row["说明"]),
        }
        for column, field in (("标题", "title"), ("票决会议", "meeting"), ("连续第几年", "consecutive_year")):
            _fits(errors, PLAN_SHEET, line, column, Plan, field, plan_data[field])

    units = {}
    for org in Organization.objects.all():
        units[org.name] = org
        if org.short_name:
            units.setdefault(org.short_name, org)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[_text(r["责任人"]) for _line, r in item_sheet.rows if _text(r["责任人"])]
        )
    }
    items: dict[int, dict] = {}
    for line, row in item_sheet.rows:
        number = _cell(errors, ITEM_SHEET, line, "序号", _int, row["序号"])
        if number is None or not 1 <= number <= 10:
            errors.append(RowError(ITEM_SHEET, line, "序号", _("序号应为 1–10。")))
            number = None
        elif number in items:
            errors.append(RowError(ITEM_SHEET, line, "序号", _("序号 %(n)s 重复。") % {"n": number}))
        if not _text(row["事项名称"]):
            errors.append(RowError(ITEM_SHEET, line, "事项名称", _("事项名称不能为空。")))
        unit_name = _text(row["牵头单位"])
        if unit_name and unit_name not in units:
            errors.append(RowError(ITEM_SHEET, line, "牵头单位", _("没有名为“%(n)s”的单位。") % {"n": unit_name}))
        username = _text(row["责任人"])
        if username and username not in users:
            errors.append(RowError(ITEM_SHEET, line, "责任人", _("没有用户名为“%(n)s”的用户。") % {"n": username}))
        weight = _cell(errors, ITEM_SHEET, line, "权重", _decimal, row["权重"])
        if weight is not None and weight <= 0:
            errors.append(RowError(ITEM_SHEET, line, "权重", _("权重必须大于 0。")))
        else:
            _fits(errors, ITEM_SHEET, line, "权重", Item, "weight", weight)
        _fits(errors, ITEM_SHEET, line, "事项名称", Item, "title", _text(row["事项名称"]))
        if number is not None and number not in items:
            items[number] = {
                "title": _text(row["事项名称"]),
                "description": _text(row["内容"]),
                "lead_unit": units.get(unit_name),
                "responsible": users.get(username),
                "weight": weight or Decimal("1"),
                "indicators": [],
                "line": line,
            }

    for line, row in ind_sheet.rows:
        number = _cell(errors, INDICATOR_SHEET, line, "事项序号", _int, row["事项序号"])
        if number not in items:
            errors.append(RowError(INDICATOR_SHEET, line, "事项序号", _("“事项”表中没有序号 %(n)s。") % {"n": number}))
        name = _text(row["指标名称"])
        if not name:
            errors.append(RowError(INDICATOR_SHEET, line, "指标名称", _("指标名称不能为空。")))
        kind = KIND_LABELS.get(_text(row["类型"]))
        if kind is None:
            errors.append(RowError(INDICATOR_SHEET, line, "类型", _("类型应为“数量”或“节点”。")))
        comparator = COMPARATOR_LABELS.get(_text(row["比较方式"]))
        if comparator is None:
            reason = _("比较方式应为空、“不少于”、“约”、“以上”或“余”（“多”）。")
            errors.append(RowError(INDICATOR_SHEET, line, "比较方式", reason))
        target = _cell(errors, INDICATOR_SHEET, line, "目标值", _decimal, row["目标值"])
        unit = _text(row["单位"])
        metric_key = _text(row["联动指标"])
        columns = {"target": "目标值", "unit": "单位", "metric_key": "联动指标"}
        for field, message in Indicator.rule_errors(kind=kind, target=target, unit=unit, metric_key=metric_key).items():
            errors.append(RowError(INDICATOR_SHEET, line, columns[field], message))
        due = _cell(errors, INDICATOR_SHEET, line, "截止日期", _date, row["截止日期"])
        weight = _cell(errors, INDICATOR_SHEET, line, "权重", _decimal, row["权重"])
        if weight is not None and weight <= 0:
            errors.append(RowError(INDICATOR_SHEET, line, "权重", _("权重必须大于 0。")))
        for column, field, value in (
            ("指标名称", "name", name),
            ("单位", "unit", unit),
            ("目标值", "target", target if target is None or target > 0 else None),
            ("权重", "weight", weight if weight is None or weight > 0 else None),
        ):
            _fits(errors, INDICATOR_SHEET, line, column, Indicator, field, value)
        if number in items:
            if any(i["name"] == name for i in items[number]["indicators"]):
                errors.append(RowError(INDICATOR_SHEET, line, "指标名称", _("同一事项下指标名称重复。")))
            items[number]["indicators"].append(
                {
                    "name": name,
                    "kind": kind,
                    "unit": unit,
                    "comparator": comparator or "",
                    "target": target,
                    "due_date": due,
                    "weight": weight or Decimal("1"),
                    "metric_key": metric_key,
                    "line": line,
                }
            )
    for number, item in items.items():
        if not item["indicators"]:
            errors.append(RowError(ITEM_SHEET, item["line"], "序号", _("事项 %(n)s 没有任何指标。") % {"n": number}))
    if errors:
        raise PlanImportError(errors)
    return {"plan": plan_data, "items": items}


def plan_import(data: bytes, *, actor=None) -> Plan:
    """Create or update a plan from a workbook; all or nothing."""
    from .models import ProgressReport
    from .services import indicator_target_change

    parsed = plan_import_parse(data)
    plan_data = parsed["plan"]
    errors = []
    existing = Plan.objects.filter(year=plan_data["year"]).first()
    if existing is not None:
        # Never silently drop indicators that already carry reports.
        for ind in Indicator.objects.filter(item__plan=existing).select_related("item"):
            wanted = parsed["items"].get(ind.item.number)
            if (wanted is None or all(i["name"] != ind.name for i in wanted["indicators"])) and (
                ProgressReport.objects.filter(indicator=ind).exists()
            ):
                errors.append(
                    RowError(
                        INDICATOR_SHEET,
                        0,
                        "指标名称",
                        _("已有填报的指标“%(item)s-%(name)s”不在文件中，不能删除。")
                        % {"item": ind.item.number, "name": ind.name},
                    )
                )
    if errors:
        raise PlanImportError(errors)
    with transaction.atomic():
        plan, _created = Plan.objects.update_or_create(
            year=plan_data["year"], defaults={k: v for k, v in plan_data.items() if k != "year"}
        )
        plan.full_clean()
        for number, data in sorted(parsed["items"].items()):
            item, _created = Item.objects.update_or_create(
                plan=plan,
                number=number,
                defaults={k: data[k] for k in ("title", "description", "lead_unit", "responsible", "weight")},
            )
            item.full_clean()
            keep = []
            for order, ind_data in enumerate(data["indicators"]):
                ind = Indicator.objects.filter(item=item, name=ind_data["name"]).first()
                fields = {k: ind_data[k] for k in ("kind", "unit", "comparator", "due_date", "weight", "metric_key")}
                if ind is None:
                    ind = Indicator(
                        item=item, name=ind_data["name"], target=ind_data["target"], sort_order=order, **fields
                    )
                    ind.full_clean()
                    ind.save()
                else:
                    for key, value in fields.items():
                        setattr(ind, key, value)
                    ind.sort_order = order
                    if ind.kind == Indicator.Kind.QUANTITY and ind.target != ind_data["target"]:
                        indicator_target_change(indicator=ind, target=ind_data["target"], actor=actor)
                    else:
                        ind.target = ind_data["target"]
                        ind.full_clean()
                        ind.save()
                keep.append(ind.pk)
            Indicator.objects.filter(item=item).exclude(pk__in=keep).delete()
        plan.items.exclude(number__in=list(parsed["items"])).delete()
    return plan
