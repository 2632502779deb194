import io

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook

from apps.accounts.roles import LEADER, user_has_role
from apps.tenthings import selectors as tt

from .charts import trend_chart


def _leader_only(request):
    if not user_has_role(request.user, LEADER):
        raise PermissionDenied


def _plan_for(request):
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit():  # "²".isdigit() is True, int("²") fails
        return tt.plan_published_get(int(year))
    return tt.plan_current()


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


def _other_figures(year: int) -> dict:
    """Figures other apps offer the dashboard, each through its own selector (a fixed number of
    queries each); an app that is not installed is simply left out."""
    figures = {}
    if apps.is_installed("apps.stations"):
        from apps.stations.selectors import dashboard_figures

        figures["stations"] = dashboard_figures(year)
    if apps.is_installed("apps.news"):
        from apps.news.selectors import dashboard_figures

        figures["news"] = dashboard_figures(year)
    return figures


@login_required
def index(request):
    """The leaders' dashboard: a fixed number of queries whatever the size of the plan."""
    _leader_only(request)
    plan = _plan_for(request)
    context = {"years": tt.plan_years(), "plan": plan}
    if plan is not None:
        context.update(_dashboard_data(plan))
    context["figures"] = _other_figures(plan.year if plan else timezone.localdate().year)
    return render(request, "dashboard/index.html", context)


@login_required
def export(request):
    """The dashboard's figures as an Excel workbook."""
    _leader_only(request)
    plan = _plan_for(request)
    if plan is None:
        raise PermissionDenied
    data = _dashboard_data(plan)
    wb = Workbook()
    ws = wb.active
    ws.title = "事项进度"
    ws.append([plan.title, f"按 {data['progress'].as_of:%Y-%m-%d} 计算", f"全年完成率 {data['progress'].percent_int}%"])
    ws.append(["序号", "事项", "牵头单位", "责任人", "完成率(%)", "状态", "超30天未更新", "最近核实", "关键数字"])
    for p in data["ordered"]:
        item = p.item
        ws.append(
            [
                item.number,
                item.title,
                str(item.lead_unit or ""),
                item.responsible.display_name if item.responsible else "",
                round(float(p.completion) * 100, 1),
                str(p.status_label),
                "是" if p.stale else "",
                p.last_verified,
                "；".join(f"{r.indicator.name} {r.figure}" for r in p.indicators),
            ]
        )
    ws = wb.create_sheet("月度趋势")
    ws.append(["月份", "累计完成率(%)", "核实填报数"])
    for row in data["trend"]:
        ws.append([f"{plan.year}-{row['month']:02d}", round(float(row["completion"]) * 100, 1), row["reports"]])
    ws = wb.create_sheet("部门排名")
    ws.append(["名次", "牵头单位", "事项数", "完成率(%)"])
    for rank, row in enumerate(data["ranking"], start=1):
        ws.append([rank, row["name"], row["items"], round(float(row["completion"]) * 100, 1)])
    figures = _other_figures(plan.year)
    if figures:
        ws = wb.create_sheet("驿站与新闻")
        ws.append(["项目", "数值"])
        if "stations" in figures:
            st = figures["stations"]
            ws.append(["开放中的驿站（当前）", st["open"]])
            ws.append(["其中24小时驿站（当前）", st["open_24h"]])
            ws.append(["巡检逾期的驿站（当前）", st["overdue"]])
            ws.append([f"{plan.year}年新启用驿站", st["opened"]])
            ws.append([f"{plan.year}年驿站签到人次", st["visits"]])
        if "news" in figures:
            nw = figures["news"]
            ws.append([f"{plan.year}年发布新闻", nw["published"]])
            ws.append([f"{plan.year}年发布新闻阅读量", nw["views"]])
            ws.append(["待审核稿件（当前）", nw["in_review"]])
    # The export holds no formulas: text starting with "=" (a person's name, a title) stays text.
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{plan.year}.xlsx"'
    return response
