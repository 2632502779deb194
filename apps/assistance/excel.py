"""The officers' export in the shape of the national 帮扶工作管理系统's household file (一户一档)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.excel import SafeWorkbook


def _day(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.isoformat()


def export_workbook(requests) -> SafeWorkbook:
    """One row per household, the national system's columns in its order; one query for the rows."""
    book = SafeWorkbook()
    header = [
        _("档案编号"),
        _("户主姓名"),
        _("联系电话"),
        _("所在乡镇（街道）"),
        _("工作单位"),
        _("所属工会"),
        _("家庭人口"),
        _("家庭成员及关系"),
        _("家庭人均月收入"),
        _("致困原因"),
        _("申请帮扶类型"),
        _("困难类别"),
        _("帮扶方式"),
        _("申请日期"),
        _("入户调查日期"),
        _("民政核对结果"),
        _("公示起止"),
        _("认定日期"),
        _("累计帮扶金额（元）"),
        _("下次复核日期"),
        _("档案状态"),
    ]
    ws = book.sheet(_("帮扶对象档案"), header)
    rows = (
        requests.select_related("union", "town", "visit")
        .annotate(given=Sum("ledger__amount"))
        .order_by("submitted_at", "pk")
    )
    for hr in rows:
        visit = getattr(hr, "visit", None)
        window = f"{_day(hr.publicity_from)}—{_day(hr.publicity_until)}" if hr.publicity_from else ""
        book.append(
            ws,
            [
                f"XH-BF-{hr.pk:06d}",
                hr.applicant_name,
                hr.phone,
                hr.town.name if hr.town_id else "",
                hr.employer_name,
                hr.union.name if hr.union_id else "",
                hr.household_size,
                hr.household_members,
                hr.get_income_band_display(),
                hr.get_reason_display(),
                hr.get_asked_help_display(),
                hr.get_band_display(),
                hr.get_help_kind_display(),
                _day(hr.submitted_at),
                _day(visit.visited_on) if visit else "",
                hr.get_check_result_display(),
                window,
                _day(hr.decided_at),
                hr.given or 0,
                _day(hr.recheck_due_on),
                hr.get_state_display(),
            ],
        )
    return book
