"""Reads of people's own pages: their projects and points, a reviewer's queue, the endorsement queue."""

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from apps.accounts.roles import user_holds

from ..models import Attachment, LeaderboardConsent, PointsEntry, Project, Review, ReviewAssignment, TeamMember

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


def shows_name_on_leaderboard(user) -> bool:
    """Whether the person has agreed to their name on the public leaderboard."""
    return LeaderboardConsent.objects.filter(user=user, show_name=True).exists()


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


def own_review(assignment: ReviewAssignment) -> Review | None:
    """The assigned reviewer's own review of the project in the assignment's phase, with its scores."""
    own = Review.objects.filter(
        project_id=assignment.project_id, reviewer_id=assignment.reviewer_id, phase=assignment.phase
    )
    return own.prefetch_related("scores").first()


def others_reviews(assignment: ReviewAssignment) -> list[Review]:
    """The other reviewers' submitted reviews of the project in that phase (recused reviewers left out)."""
    return list(
        Review.objects.filter(project_id=assignment.project_id, phase=assignment.phase, status=Review.Status.SUBMITTED)
        .exclude(reviewer_id=assignment.reviewer_id)
        .filter(
            reviewer__innovation_assignments__project_id=assignment.project_id,
            reviewer__innovation_assignments__recused_at=None,
        )
        .distinct()
    )


def projects_visible_to(user):
    """Projects whose private page a person may open (everyone else gets 404): their own, their
    team's, their employer's when they are its enterprise union, every one for the officer."""
    if not user.is_authenticated:
        return Project.objects.none()
    projects = Project.objects.select_related("category", "employer", "campaign")
    if user_holds(user, "innovation_officer"):
        return projects
    visible = Q(owner=user) | Q(Exists(TeamMember.objects.filter(project=OuterRef("pk"), user=user)))
    if user.employer_id and user_holds(user, "enterprise_union"):
        visible |= Q(employer_id=user.employer_id)
    return projects.filter(visible)


def attachments_visible_to(user):
    """Attachments a person may download: those of projects they may see, and of projects they
    are assigned to review (until they recuse themselves)."""
    if not user.is_authenticated:
        return Attachment.objects.none()
    reviewing = ReviewAssignment.objects.filter(project=OuterRef("project_id"), reviewer=user, recused_at__isnull=True)
    return Attachment.objects.filter(
        Q(project__in=projects_visible_to(user).values("pk")) | Q(Exists(reviewing))
    ).select_related("project")
