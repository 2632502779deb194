"""Thin views of the innovation app: read through selectors, write through services.

One module per audience (the public, declaring workers, enterprise unions, reviewers, the
officer); every view is importable from ``apps.innovation.views`` as before.
"""

from .declaration import mine, submit, withdraw, wizard
from .enterprise import endorse_action, endorse_queue, problem_action, problem_new
from .officer import manage, manage_action, manage_campaign, ranking
from .public import attachment_download, index, problem_detail, problems, project_detail, publicity
from .reviewers import review, reviews

__all__ = [
    "attachment_download",
    "endorse_action",
    "endorse_queue",
    "index",
    "manage",
    "manage_action",
    "manage_campaign",
    "mine",
    "problem_action",
    "problem_detail",
    "problem_new",
    "problems",
    "project_detail",
    "publicity",
    "ranking",
    "review",
    "reviews",
    "submit",
    "withdraw",
    "wizard",
]
