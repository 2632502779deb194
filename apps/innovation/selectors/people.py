"""Reads of people's own pages: their projects and points, a reviewer's queue, the endorsement queue."""

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from ..models import PointsEntry, Project, Review, ReviewAssignment

S = Project.Status


# --- People's own pages ---------------------------------------------------------------------


def my_projects(user):
    return (
        Project.objects.filter(Q(owner=user) | Q(team__user=user))
        .distinct()
        .select_related("campaign", "category")
        .order_by("-created_at", "-pk")
    )


def points_history(user, limit: int | None = None):
    qs = PointsEntry.objects.filter(person=user).select_related("rule").order_by("-created_at", "-pk")
    return qs[:limit] if limit else qs


def points_balance(user) -> int:
    return PointsEntry.objects.filter(person=user).aggregate(n=Coalesce(Sum("points"), 0))["n"]


def reviewer_queue(user):
    """A reviewer's assignments with the project, campaign and own review status — two queries."""
    own = Review.objects.filter(project=OuterRef("project_id"), reviewer=user, phase=OuterRef("phase"))
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("project__category", "project__campaign")
        .annotate(
            review_status=Subquery(own.values("status")[:1]),
            review_total=Subquery(own.values("weighted_total")[:1]),
        )
        .order_by("recused_at", "-project__campaign__year", "pk")
    )


def pending_reviews_count(user) -> int:
    """Assignments in the campaign's current phase without a submitted review (the nav badge)."""
    submitted = Review.objects.filter(
        project=OuterRef("project_id"), reviewer=user, phase=OuterRef("phase"), status=Review.Status.SUBMITTED
    )
    return (
        ReviewAssignment.objects.filter(reviewer=user, recused_at__isnull=True, phase=F("project__campaign__phase"))
        .exclude(Exists(submitted))
        .count()
    )


def endorse_queue(user):
    return (
        Project.objects.filter(employer_id=user.employer_id, status=S.SUBMITTED)
        .select_related("category", "owner", "campaign")
        .prefetch_related("team")
        .order_by("submitted_at")
    )
