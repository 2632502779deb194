"""职工技术创新: "三十、五小" campaigns, expert review, awards, the points ledger, studios, 助企行.

One module per model family; everything is importable from ``apps.innovation.models`` as before
(migrations name the upload paths through it).
"""

from .awards import Award, AwardLevel, AwardQuerySet, Decision, Objection, Publicity, certificate_upload_to
from .campaigns import (
    PHASE_ORDER,
    REVIEW_PHASES,
    Campaign,
    CampaignQuerySet,
    Category,
    Phase,
    PhaseSetting,
    RubricCriterion,
)
from .enterprises import ServiceVisit, SpecialContract, TechProblem, contract_upload_to
from .points import AppendOnlyQuerySet, LeaderboardConsent, PointsEntry, PointsRule
from .projects import Attachment, Project, ProjectEvent, ProjectQuerySet, TeamMember, attachment_upload_to
from .reviews import RankingEntry, Review, ReviewAssignment, ReviewerProfile, Score
from .studios import AllianceMembership, ModelWorker, Studio

__all__ = [
    "PHASE_ORDER",
    "REVIEW_PHASES",
    "AllianceMembership",
    "AppendOnlyQuerySet",
    "Attachment",
    "Award",
    "AwardLevel",
    "AwardQuerySet",
    "Campaign",
    "CampaignQuerySet",
    "Category",
    "Decision",
    "LeaderboardConsent",
    "ModelWorker",
    "Objection",
    "Phase",
    "PhaseSetting",
    "PointsEntry",
    "PointsRule",
    "Project",
    "ProjectEvent",
    "ProjectQuerySet",
    "Publicity",
    "RankingEntry",
    "Review",
    "ReviewAssignment",
    "ReviewerProfile",
    "RubricCriterion",
    "Score",
    "ServiceVisit",
    "SpecialContract",
    "Studio",
    "TeamMember",
    "TechProblem",
    "attachment_upload_to",
    "certificate_upload_to",
    "contract_upload_to",
]
