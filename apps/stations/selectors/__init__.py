"""Reads of the stations app, one module per section; every public name importable from here as before.

Each selector owns its joins so pages make a fixed number of queries.
"""

from .figures import (
    COUNT_FILTERS,
    PLEDGE_BRAND,
    StationCounts,
    dashboard_figure_group,
    dashboard_figures,
    metric_opened_24h,
    metric_visits,
    station_counts,
    user_feedback,
)
from .keepers import (
    Usage,
    UsageDay,
    inspection_due_date,
    keeper_stations,
    station_inspections,
    station_open_reports,
    station_usage,
    stations_kept,
    stations_overdue,
)
from .list_page import (
    ListPage,
    station_list_page,
)
from .markers import (
    MARKERS_CACHE_SECONDS,
    station_base_path,
    station_map_bodies,
    station_map_json,
    station_map_points,
)
from .nearest import (
    NEAREST_BOXES,
    NEAREST_MIN_RADIUS_M,
    NEAREST_RADII_M,
    NEAREST_SCAN_ALL_BELOW,
    NEAREST_WIDEN,
    Located,
    station_nearest_ids,
)
from .search import (
    FilterChoices,
    filter_choices,
    station_search,
)
from .station_page import (
    RatingSummary,
    StationPage,
    station_comments,
    station_detail,
    station_page,
    station_page_personal,
    station_rating_summary,
)

__all__ = [
    "COUNT_FILTERS",
    "PLEDGE_BRAND",
    "StationCounts",
    "dashboard_figure_group",
    "dashboard_figures",
    "metric_opened_24h",
    "metric_visits",
    "station_counts",
    "user_feedback",
    "Usage",
    "UsageDay",
    "inspection_due_date",
    "keeper_stations",
    "station_inspections",
    "station_open_reports",
    "station_usage",
    "stations_kept",
    "stations_overdue",
    "ListPage",
    "station_list_page",
    "MARKERS_CACHE_SECONDS",
    "station_base_path",
    "station_map_bodies",
    "station_map_json",
    "station_map_points",
    "NEAREST_BOXES",
    "NEAREST_MIN_RADIUS_M",
    "NEAREST_RADII_M",
    "NEAREST_SCAN_ALL_BELOW",
    "NEAREST_WIDEN",
    "Located",
    "station_nearest_ids",
    "FilterChoices",
    "filter_choices",
    "station_search",
    "RatingSummary",
    "StationPage",
    "station_comments",
    "station_detail",
    "station_page",
    "station_page_personal",
    "station_rating_summary",
]
