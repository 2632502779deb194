"""Reads of the innovation app. Each selector owns its joins so every page makes a fixed number of queries.

One module per kind of page (public, the index, people's own, the officer's, the yearly numbers);
everything is importable from ``apps.innovation.selectors`` as before.
"""

from .index import ShowcaseRow, VisitRow, index_page, showcase_rows
from .numbers import (
    ITEM4_TARGETS,
    REVIEWED_OR_LATER,
    SCREENED_OR_LATER,
    dashboard_numbers,
    figure_years,
    metric_people_trained,
    metric_problems_solved,
    metric_service_visits,
    service_summary,
    yearly_figures,
)
from .officer import (
    assignment_matrix,
    campaign_progress,
    objections_for,
    publicity_projects,
    ranking,
    ranking_categories,
    screening_queue,
)
from .people import endorse_queue, my_projects, pending_reviews_count, points_balance, points_history, reviewer_queue
from .public import (
    LeaderRow,
    alliance_members,
    latest_points_year,
    latest_service_year,
    leaderboard,
    open_problems,
    project_public,
    recent_visits,
    showcase,
    studios_with_alliance,
)

__all__ = [
    "ITEM4_TARGETS",
    "REVIEWED_OR_LATER",
    "SCREENED_OR_LATER",
    "LeaderRow",
    "ShowcaseRow",
    "VisitRow",
    "alliance_members",
    "assignment_matrix",
    "campaign_progress",
    "dashboard_numbers",
    "endorse_queue",
    "figure_years",
    "index_page",
    "latest_points_year",
    "latest_service_year",
    "leaderboard",
    "metric_people_trained",
    "metric_problems_solved",
    "metric_service_visits",
    "my_projects",
    "objections_for",
    "open_problems",
    "pending_reviews_count",
    "points_balance",
    "points_history",
    "project_public",
    "publicity_projects",
    "ranking",
    "ranking_categories",
    "recent_visits",
    "reviewer_queue",
    "screening_queue",
    "service_summary",
    "showcase",
    "showcase_rows",
    "studios_with_alliance",
    "yearly_figures",
]
