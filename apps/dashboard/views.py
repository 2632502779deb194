from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import role_required
from apps.core import registry
from apps.core.excel import SafeWorkbook
from apps.tenthings import selectors as tt
from apps.tenthings.completion import STALE_DAYS

from .charts import trend_chart


def _plan_for(request, plans=None):
    """The plan asked for (?year=, 404 if not published) or the current one; ``plans`` is
    ``tt.plans_published()`` when the caller has it already (no query of its own then)."""
    year = request.GET.get("year", "")
    if plans is None:
        plans = tt.plans_published()
    if year.isascii() and year.isdigit():  # "²".isdigit() is True, int("²") fails
        plan = tt.plan_pick(plans, year=int(year))
        if plan is None:
            raise Http404("no published plan for this year")
        return plan
    return tt.plan_pick(plans)


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
    plan = _plan_for(request, plans)
    context = {"years": [p.year for p in plans], "plan": plan}
    if plan is not None:
        context.update(_dashboard_data(plan))
    context["figure_groups"] = registry.dashboard_figures(plan.year if plan else timezone.localdate().year)
    return render(request, "dashboard/index.html", context)


@role_required("leader")
def export(request):
    """The dashboard's figures as an Excel workbook (through the one safe writer)."""
    plan = _plan_for(request)
    if plan is None:
        raise Http404
    data = _dashboard_data(plan)
    book = SafeWorkbook()
    ws = book.sheet(_("事项进度"))
    book.append(
        ws,
        [
            plan.title,
            _("按 %(date)s 计算") % {"date": f"{data['progress'].as_of:%Y-%m-%d}"},
            _("全年完成率 %(p)s%%") % {"p": data["progress"].percent_int},
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
                round(float(p.completion) * 100, 1),
                str(p.status_label),
                _("是") if p.stale else "",
                p.last_verified,
                "；".join(f"{r.indicator.name} {r.figure}" for r in p.indicators),
            ],
        )
    ws = book.sheet(_("月度趋势"), [_("月份"), _("累计完成率(%)"), _("核实填报数")])
    for row in data["trend"]:
        book.append(ws, [f"{plan.year}-{row['month']:02d}", round(float(row["completion"]) * 100, 1), row["reports"]])
    ws = book.sheet(_("部门排名"), [_("名次"), _("牵头单位"), _("事项数"), _("完成率(%)")])
    for rank, row in enumerate(data["ranking"], start=1):
        book.append(ws, [rank, row["name"], row["items"], round(float(row["completion"]) * 100, 1)])
    groups = registry.dashboard_figures(plan.year)
    if groups:
        ws = book.sheet(_("各项服务"), [_("板块"), _("指标"), _("数值"), _("单位"), _("目标"), _("口径")])
        for group in groups:
            for f in group.figures:
                book.append(ws, [group.title, f.label, f.value, f.unit, f.target, f.definition])
            for title, rows in group.tables:
                for label, value in rows:
                    book.append(ws, [group.title, f"{title}：{label}", value, "", None, ""])
    return book.response(f"dashboard-{plan.year}.xlsx")
