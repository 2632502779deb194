"""Reads of the ten practical things, one module per section; everything importable from here as before.

Each page costs a fixed number of queries: verified figures are summed in the database per
indicator, linked metrics are computed once per key.
"""

from .dashboard import (
    department_ranking,
    lagging_first,
    monthly_trend,
)
from .item_page import (
    EVENTS_SHOWN,
    REPORTS_PER_PAGE,
    ItemPage,
    item_for_report,
    item_page,
)
from .plans import (
    plan_current,
    plan_pick,
    plan_published_get,
    plan_years,
    plans_published,
)
from .progress import (
    CLOSED_STATUSES,
    METRIC_CACHE_SECONDS,
    RUNNING_STATUSES,
    STATUS_CSS,
    STATUS_RANK,
    IndicatorProgress,
    ItemProgress,
    PlanProgress,
    items_progress,
    metric_values,
    plan_progress,
)
from .reports import (
    MY_REPORTS_PER_PAGE,
    IndicatorContext,
    indicator_totals,
    items_of_user,
    items_to_report,
    my_reports,
    report_context,
    reports_of_reporter,
    reports_pending,
    reports_pending_count,
)

__all__ = [
    "plan_published_get",
    "plan_current",
    "plan_years",
    "plans_published",
    "plan_pick",
    "STATUS_CSS",
    "STATUS_RANK",
    "RUNNING_STATUSES",
    "CLOSED_STATUSES",
    "IndicatorProgress",
    "ItemProgress",
    "PlanProgress",
    "METRIC_CACHE_SECONDS",
    "metric_values",
    "items_progress",
    "plan_progress",
    "lagging_first",
    "department_ranking",
    "monthly_trend",
    "REPORTS_PER_PAGE",
    "EVENTS_SHOWN",
    "ItemPage",
    "item_page",
    "item_for_report",
    "reports_pending_count",
    "indicator_totals",
    "reports_pending",
    "reports_of_reporter",
    "MY_REPORTS_PER_PAGE",
    "my_reports",
    "items_to_report",
    "IndicatorContext",
    "report_context",
    "items_of_user",
]
