"""The leaders' views of a plan's progress: lagging items first, the lead units' ranking, the monthly trend."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from ..completion import (
    ZERO,
    indicator_completion,
    percent_floor,
    weighted_mean,
)
from ..models import (
    ProgressReport,
)
from .progress import STATUS_RANK, ItemProgress, PlanProgress


def lagging_first(progress: PlanProgress) -> list[ItemProgress]:
    """Items ordered for leaders: severe, behind, stale, then the rest by number."""

    def rank(p: ItemProgress):
        base = STATUS_RANK[p.status]
        if p.stale and base > 1:
            base = 2
        return (base, p.completion, p.item.number)

    return sorted(progress.items, key=rank)


def department_ranking(progress: PlanProgress) -> list[dict]:
    """Lead units ranked by the mean completion of the items they lead."""
    groups: dict = defaultdict(list)
    for p in progress.items:
        groups[p.item.lead_unit].append(p)
    rows = []
    for unit, items in groups.items():
        completion = weighted_mean((p.completion, p.item.weight) for p in items)
        rows.append(
            {
                "unit": unit,
                "name": str(unit) if unit else str(_("未指定")),
                "items": len(items),
                "completion": completion,
                "percent_int": percent_floor(completion),
            }
        )
    return sorted(rows, key=lambda r: (-r["completion"], r["name"]))


def monthly_trend(progress: PlanProgress) -> list[dict]:
    """Plan completion at the end of each month up to the as-of date, from verified reports.

    One grouped query. A linked indicator has no dated history, so it counts at its current
    value in every month (said on the chart).
    """
    plan = progress.plan
    rows = (
        ProgressReport.objects.verified()
        .filter(indicator__item__plan=plan, reported_on__year=plan.year)
        .annotate(month=TruncMonth("reported_on"))
        .values("indicator_id", "month")
        .annotate(total=Sum("amount"), done=Count("id", filter=Q(milestone_done=True)), n=Count("id"))
    )
    by_month: dict[int, dict[int, dict]] = defaultdict(dict)
    reports_per_month: dict[int, int] = defaultdict(int)
    for row in rows:
        month = row["month"].month if hasattr(row["month"], "month") else int(str(row["month"])[5:7])
        by_month[month][row["indicator_id"]] = row
        reports_per_month[month] += row["n"]
    running_total: dict[int, Decimal] = defaultdict(lambda: ZERO)
    running_done: dict[int, bool] = defaultdict(bool)
    # Each indicator's completion at the end of the month so far: a linked one keeps its current
    # value, the others start at nothing and change only in a month that has reports for them.
    current: dict[int, Decimal] = {}
    for ip in progress.items:
        for row in ip.indicators:
            ind = row.indicator
            current[ind.pk] = (
                row.completion
                if row.linked
                else indicator_completion(actual=ZERO, target=ind.target, milestone=ind.is_milestone, done=False)
            )
    linked_ids = {row.indicator.pk for ip in progress.items for row in ip.indicators if row.linked}
    indicators_by_id = {row.indicator.pk: row.indicator for ip in progress.items for row in ip.indicators}
    trend = []
    for month in range(1, progress.as_of.month + 1):
        for ind_id, row in by_month.get(month, {}).items():
            running_total[ind_id] += row["total"] or ZERO
            running_done[ind_id] = running_done[ind_id] or bool(row["done"])
            ind = indicators_by_id.get(ind_id)
            if ind is not None and ind_id not in linked_ids:
                current[ind_id] = indicator_completion(
                    actual=running_total[ind_id],
                    target=ind.target,
                    milestone=ind.is_milestone,
                    done=running_done[ind_id],
                )
        item_values = [
            (weighted_mean((current[row.indicator.pk], row.indicator.weight) for row in ip.indicators), ip.item.weight)
            for ip in progress.items
        ]
        completion = weighted_mean(item_values)
        trend.append(
            {
                "month": month,
                "completion": completion,
                "percent_int": percent_floor(completion),
                "reports": reports_per_month.get(month, 0),
            }
        )
    return trend
