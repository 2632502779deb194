"""Reads of the innovation app. Each selector owns its joins so every page makes a fixed number of queries.

One module per kind of page (public, the index, people's own, the officer's, the yearly numbers);
everything is importable from ``apps.innovation.selectors`` as before.
"""

from .index import ShowcaseRow, VisitRow, index_page, showcase_rows
from .numbers import (
    ITEM4_METRICS,
    REVIEWED_OR_LATER,
    SCREENED_OR_LATER,
    dashboard_numbers,
    item4_targets,
    metric_people_trained,
    metric_problems_solved,
    metric_service_visits,
    service_summary,
    yearly_figures,
)
from .officer import (
    assignment_matrix,
    campaign_progress,
    campaigns_with_progress,
    objections_for,
    publicity_projects,
    ranking,
    ranking_categories,
    reviewer_pool,
    screening_queue,
)
from .people import (
    attachments_visible_to,
    endorse_queue,
    my_projects,
    others_reviews,
    own_review,
    pending_reviews_count,
    points_balance,
    points_history,
    projects_visible_to,
    reviewer_queue,
    shows_name_on_leaderboard,
)
from .public import (
    LeaderRow,
    open_problems,
    project_public,
    showcase,
    studios_with_alliance,
)

__all__ = [
    "ITEM4_METRICS",
    "REVIEWED_OR_LATER",
    "SCREENED_OR_LATER",
    "LeaderRow",
    "ShowcaseRow",
    "VisitRow",
    "assignment_matrix",
    "attachments_visible_to",
    "campaign_progress",
    "campaigns_with_progress",
    "dashboard_numbers",
    "endorse_queue",
    "index_page",
    "item4_targets",
    "metric_people_trained",
    "metric_problems_solved",
    "metric_service_visits",
    "my_projects",
    "objections_for",
    "open_problems",
    "others_reviews",
    "own_review",
    "pending_reviews_count",
    "points_balance",
    "points_history",
    "project_public",
    "projects_visible_to",
    "publicity_projects",
    "ranking",
    "ranking_categories",
    "reviewer_pool",
    "reviewer_queue",
    "screening_queue",
    "service_summary",
    "showcase",
    "shows_name_on_leaderboard",
    "showcase_rows",
    "studios_with_alliance",
    "yearly_figures",
]
