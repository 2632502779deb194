from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from apps.accounts.roles import role_required
from apps.core import registry
from apps.core.excel import SafeWorkbook
from apps.tenthings import selectors as tt
from apps.tenthings.completion import STALE_DAYS, percent_floor

from .charts import trend_chart

# The years the year picker offers around the plans' years and this one.
YEAR_MIN, YEAR_MAX = 2000, 2100


def _year_and_plan(request, plans=None):
    """The year asked for (?year=, any year in range; this year by default) and its published plan,
    if it has one. Every app's figures show for the year, with a plan or without."""
    if plans is None:
        plans = tt.plans_published()
    asked = request.GET.get("year", "")
    year = timezone.localdate().year
    if asked.isascii() and asked.isdigit() and YEAR_MIN <= int(asked) <= YEAR_MAX:  # "²".isdigit() is True
        year = int(asked)
    return year, tt.plan_pick(plans, year=year)


def _dashboard_data(plan):
    progress = tt.plan_progress(plan)
    trend = tt.monthly_trend(progress)
    return {
        "plan": plan,
        "progress": progress,
        "ordered": tt.lagging_first(progress),
        "trend": trend,
        "chart": trend_chart(trend),
        "ranking": tt.department_ranking(progress),
    }


@role_required("leader")
def index(request):
    """The leaders' dashboard: a fixed number of queries whatever the size of the plan."""
    plans = tt.plans_published()
    year, plan = _year_and_plan(request, plans)
    years = sorted({p.year for p in plans} | {timezone.localdate().year, year}, reverse=True)
    context = {"years": years, "year": year, "plan": plan, "demo": registry.demo_present()}
    if plan is not None:
        context.update(_dashboard_data(plan))
    context["figure_groups"] = registry.dashboard_figures(year)
    return render(request, "dashboard/index.html", context)


def _finish_sheet(ws, *, header_row: int, widths) -> None:
    """Column widths and a frozen header on every sheet of the workbook."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


@role_required("leader")
def export(request):
    """The dashboard's figures as an Excel workbook (through the one safe writer), with the page's
    rounding (whole percent, rounded down), for any year (the plan's sheets when it has one)."""
    year, plan = _year_and_plan(request)
    demo = registry.demo_present()
    demo_note = _("演示：含演示数据，不是工会的实际记录") if demo else ""
    book = SafeWorkbook()
    if plan is not None:
        data = _dashboard_data(plan)
        progress = data["progress"]
        ws = book.sheet(_("事项进度"))
        counts = "，".join(f"{row['label']} {row['count']}" for row in progress.status_rows())
        book.append(
            ws,
            [
                plan.title,
                _("按 %(date)s 计算") % {"date": f"{progress.as_of:%Y-%m-%d}"},
                _("全年完成率 %(p)s%%") % {"p": progress.percent_int},
                _("时间进度 %(p)s%%") % {"p": progress.elapsed_percent_int},
                counts,
                demo_note if progress.demo else "",
            ],
        )
        book.append(
            ws,
            [
                _("序号"),
                _("事项"),
                _("牵头单位"),
                _("责任人"),
                _("完成率(%)"),
                _("状态"),
                _("超%(days)s天未更新") % {"days": STALE_DAYS},
                _("最近核实"),
                _("关键数字"),
                _("演示数据"),
            ],
        )
        for p in data["ordered"]:
            item = p.item
            book.append(
                ws,
                [
                    item.number,
                    item.title,
                    str(item.lead_unit or ""),
                    item.responsible.display_name if item.responsible else _("未指定责任人"),
                    p.percent_int,
                    str(p.status_label),
                    _("是") if p.stale else "",
                    p.last_verified,
                    "；".join(f"{r.indicator.name} {r.figure}" for r in p.indicators),
                    _("含演示数据") if p.demo else "",
                ],
            )
        _finish_sheet(ws, header_row=2, widths=(6, 36, 22, 14, 10, 10, 12, 12, 60, 12))
        ws = book.sheet(_("月度趋势"), [_("月份"), _("累计完成率(%)"), _("核实填报数")])
        for row in data["trend"]:
            book.append(ws, [f"{plan.year}-{row['month']:02d}", percent_floor(row["completion"]), row["reports"]])
        _finish_sheet(ws, header_row=1, widths=(10, 16, 12))
        ws = book.sheet(_("部门排名"), [_("名次"), _("牵头单位"), _("事项数"), _("完成率(%)")])
        for rank, row in enumerate(data["ranking"], start=1):
            book.append(ws, [rank, row["name"], row["items"], percent_floor(row["completion"])])
        _finish_sheet(ws, header_row=1, widths=(6, 28, 8, 12))
    groups = registry.dashboard_figures(year)
    if groups or plan is None:
        ws = book.sheet(
            _("各项服务"), [_("板块"), _("指标"), _("数值"), _("单位"), _("目标"), _("口径"), _("演示数据")]
        )
        for group in groups:
            for f in group.figures:
                book.append(ws, [group.title, f.label, f.value, f.unit, f.target, f.definition, demo_note])
            for title, rows in group.tables:
                for label, value in rows:
                    book.append(ws, [group.title, f"{title}：{label}", value, "", None, "", demo_note])
        _finish_sheet(ws, header_row=1, widths=(14, 30, 12, 8, 10, 50, 30))
    return book.response(f"dashboard-{year}.xlsx")
