"""Writes of the innovation app. Every rule lives here once; views, admin, tasks and demo call these.

One module per stage of the work (campaigns, declaration, reviews, awards, points, problems,
reminders); everything is importable from ``apps.innovation.services`` as before.
"""

from .awards import (
    aggregate_totals,
    award_record_external,
    awards_publish,
    decision_record,
    objection_file,
    objection_resolve,
    open_objections_count,
    publicity_open,
    ranking_compute,
)
from .campaigns import campaign_create, campaign_phase_advance, phase_setting
from .declaration import (
    attachment_add,
    project_draft_save,
    project_endorse,
    project_return,
    project_screen,
    project_submit,
    project_team_set,
    project_withdraw,
    validate_team,
)
from .points import leaderboard_consent_set, points_award, points_for_project, points_reverse, training_points_award
from .problems import problem_claim, problem_confirm_solved, problem_drop, problem_post, problem_start
from .reminders import reminders_send
from .reviews import (
    assignment_create,
    assignment_notify,
    assignment_recuse,
    assignments_auto,
    review_save,
    weighted_total,
)

__all__ = [
    "aggregate_totals",
    "assignment_create",
    "assignment_notify",
    "assignment_recuse",
    "assignments_auto",
    "attachment_add",
    "award_record_external",
    "awards_publish",
    "campaign_create",
    "campaign_phase_advance",
    "decision_record",
    "leaderboard_consent_set",
    "objection_file",
    "objection_resolve",
    "open_objections_count",
    "phase_setting",
    "points_award",
    "points_for_project",
    "points_reverse",
    "problem_claim",
    "problem_confirm_solved",
    "problem_drop",
    "problem_post",
    "problem_start",
    "project_draft_save",
    "project_endorse",
    "project_return",
    "project_screen",
    "project_submit",
    "project_team_set",
    "project_withdraw",
    "publicity_open",
    "ranking_compute",
    "reminders_send",
    "review_save",
    "training_points_award",
    "validate_team",
    "weighted_total",
]
