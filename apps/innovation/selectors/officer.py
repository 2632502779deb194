"""Reads of the officer's pages: campaign progress, screening, the assignment matrix, ranking, objections."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import Campaign, Objection, Phase, Project, RankingEntry, Review, ReviewAssignment

S = Project.Status


# --- Officer pages --------------------------------------------------------------------------


def campaigns_with_progress(limit: int = 10) -> list[Campaign]:
    """The latest campaigns, each with its valid assignments and submitted reviews counted — one query."""

    def count(qs):
        counted = qs.filter(project__campaign=OuterRef("pk")).values("project__campaign").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), Value(0))

    assigned = count(ReviewAssignment.objects.filter(recused_at__isnull=True))
    submitted = count(Review.objects.filter(status=Review.Status.SUBMITTED))
    return list(Campaign.objects.annotate(assigned=assigned, submitted=submitted).order_by("-year")[:limit])


def reviewer_pool() -> list:
    """The active reviewers with their employer, for the officer's manual assignment — one query."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(reviewer_profile__is_active=True)
        .select_related("reviewer_profile__employer")
        .order_by("username")
    )


def campaign_progress(campaign: Campaign) -> dict:
    """Counts by status and review progress of one campaign — three queries."""
    counts = Project.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk")).order_by("status")
    labels = dict(S.choices)
    by_status = {labels.get(status, status): n for status, n in counts}
    assignments = ReviewAssignment.objects.filter(project__campaign=campaign).aggregate(
        total=Count("pk", filter=Q(recused_at__isnull=True)), recused=Count("pk", filter=Q(recused_at__isnull=False))
    )
    reviews = Review.objects.filter(project__campaign=campaign).aggregate(
        submitted=Count("pk", filter=Q(status=Review.Status.SUBMITTED)), drafts=Count("pk", filter=Q(status="draft"))
    )
    return {"by_status": by_status, **assignments, **reviews}


def screening_queue(campaign: Campaign):
    return (
        Project.objects.filter(campaign=campaign, status=S.ENDORSED)
        .select_related("category", "employer")
        .prefetch_related("attachments")
        .order_by("submitted_at", "pk")
    )


def assignment_matrix(campaign: Campaign):
    """Projects in review with every assignment (recusals shown) and the reviewer's employer."""
    return (
        Project.objects.filter(campaign=campaign, status__in=[S.SCREENED, S.UNDER_REVIEW, S.RANKED])
        .select_related("category", "employer")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer__reviewer_profile__employer").order_by(
                    "recused_at", "pk"
                ),
            )
        )
        .order_by("category__sort_order", "pk")
    )


def ranking_categories(campaign: Campaign, phase: str = Phase.EXPERT_REVIEW) -> list[tuple[int, str, int]]:
    """(category id, name, ranked projects) of a campaign's ranking — one query."""
    rows = (
        RankingEntry.objects.filter(project__campaign=campaign, phase=phase)
        .values("project__category_id", "project__category__name", "project__category__sort_order")
        .annotate(n=Count("pk"))
        .order_by("project__category__sort_order", "project__category_id")
    )
    return [(r["project__category_id"], r["project__category__name"], r["n"]) for r in rows]


def ranking(campaign: Campaign, phase: str = Phase.EXPERT_REVIEW, category_id: int | None = None):
    """The ranking table within one category (or all), with the decision — one query."""
    qs = RankingEntry.objects.filter(project__campaign=campaign, phase=phase)
    if category_id is not None:
        qs = qs.filter(project__category_id=category_id)
    return (
        qs.select_related("project__category", "project__employer", "project__decision")
        .annotate(
            open_objections=Coalesce(
                Subquery(
                    Objection.objects.filter(project=OuterRef("project_id"), resolved_at__isnull=True)
                    .values("project_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
        .order_by("project__category__sort_order", "project__category_id", "rank")
    )


def objections_for(campaign: Campaign):
    return (
        Objection.objects.filter(publicity__campaign=campaign)
        .select_related("project", "filed_by")
        .order_by("resolved_at", "pk")
    )


def publicity_projects(campaign: Campaign):
    return (
        Project.objects.filter(campaign=campaign, status=S.PUBLICITY)
        .select_related("category", "employer", "decision")
        .order_by("category__sort_order", "pk")
    )


def reviews_missing(campaign: Campaign, phase: str) -> dict[int, int]:
    """Per project of the campaign: how many assigned reviewers of the phase have not submitted — one query."""
    submitted = Review.objects.filter(
        project=OuterRef("project"), reviewer=OuterRef("reviewer"), phase=phase, status=Review.Status.SUBMITTED
    )
    rows = (
        ReviewAssignment.objects.filter(project__campaign=campaign, phase=phase, recused_at__isnull=True)
        .exclude(Exists(submitted))
        .values_list("project_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def publicity_ready(campaign: Campaign) -> int:
    """How many decided projects with an award the 公示 would show (none: it cannot start)."""
    from ..models import AwardLevel

    return (
        Project.objects.filter(campaign=campaign, status=Project.Status.DECIDED)
        .exclude(decision__level=AwardLevel.NONE)
        .count()
    )
