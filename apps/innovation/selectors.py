"""Reads of the innovation app. Each selector owns its joins so every page makes a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import (
    AllianceMembership,
    Award,
    Campaign,
    LeaderboardConsent,
    Objection,
    Phase,
    PointsEntry,
    Project,
    RankingEntry,
    Review,
    ReviewAssignment,
    ServiceVisit,
    Studio,
    TeamMember,
    TechProblem,
)

S = Project.Status
SCREENED_OR_LATER = [
    S.SCREENED,
    S.UNDER_REVIEW,
    S.RANKED,
    S.DECIDED,
    S.PUBLICITY,
    S.AWARDED,
    S.NOT_AWARDED,
]
REVIEWED_OR_LATER = [S.RANKED, S.DECIDED, S.PUBLICITY, S.AWARDED, S.NOT_AWARDED]

# Item 4 of the ten practical things (劳模工匠助企行): the yearly targets the figures compare with.
ITEM4_TARGETS = {"visits": 20, "problems": 20, "trained": 100}


# --- Metrics (linked ten-things indicators) -------------------------------------------------


def metric_service_visits(year: int) -> int:
    return ServiceVisit.objects.filter(date__year=year).count()


def metric_problems_solved(year: int) -> int:
    return TechProblem.objects.filter(status=TechProblem.Status.SOLVED, solved_on__year=year).count()


def metric_people_trained(year: int) -> int:
    return ServiceVisit.objects.filter(date__year=year).aggregate(n=Coalesce(Sum("workers_trained"), 0))["n"]


# --- Yearly figures -------------------------------------------------------------------------


def yearly_figures(years: list[int]) -> list[dict]:
    """Per year: declared, screened, reviewed, city awards, Taizhou awards by kind — three queries."""
    years = sorted(set(years), reverse=True)
    project_counts = {
        row["campaign__year"]: row
        for row in Project.objects.filter(campaign__year__in=years)
        .values("campaign__year")
        .annotate(
            declared=Count("pk", filter=~Q(status__in=[S.DRAFT, S.WITHDRAWN])),
            screened=Count("pk", filter=Q(status__in=SCREENED_OR_LATER)),
            reviewed=Count("pk", filter=Q(status__in=REVIEWED_OR_LATER)),
            awarded=Count("pk", filter=Q(status=S.AWARDED)),
        )
    }
    award_counts = defaultdict(dict)
    for row in Award.objects.filter(year__in=years).values("year", "kind").annotate(n=Count("pk")):
        award_counts[row["year"]][row["kind"]] = row["n"]
    result = []
    for year in years:
        counts = project_counts.get(year, {})
        awards = award_counts.get(year, {})
        result.append(
            {
                "year": year,
                "declared": counts.get("declared", 0),
                "screened": counts.get("screened", 0),
                "reviewed": counts.get("reviewed", 0),
                "awarded": counts.get("awarded", 0),
                "city": awards.get(Award.Kind.CITY, 0),
                "taizhou_project": awards.get(Award.Kind.TAIZHOU_PROJECT, 0),
                "wuyi_medal": awards.get(Award.Kind.WUYI_MEDAL, 0),
                "wuyi_innovator": awards.get(Award.Kind.WUYI_INNOVATOR, 0),
                "province": awards.get(Award.Kind.PROVINCE, 0) + awards.get(Award.Kind.NATIONAL, 0),
            }
        )
    return result


def figure_years(limit: int = 3) -> list[int]:
    years = set(Campaign.objects.values_list("year", flat=True)[:limit])
    years |= set(Award.objects.order_by("-year").values_list("year", flat=True).distinct()[:limit])
    return sorted(years, reverse=True)[:limit]


# --- Public pages ---------------------------------------------------------------------------


def _awards_prefetch():
    return Prefetch("awards", queryset=Award.objects.order_by("kind", "pk"))


def showcase(limit: int = 12):
    """Awarded, non-confidential projects, newest campaign first, with category, employer and awards."""
    return (
        Project.objects.public()
        .select_related("category", "employer", "campaign")
        .prefetch_related(_awards_prefetch())
        .order_by("-campaign__year", "pk")[:limit]
    )


def project_public(pk) -> Project:
    """A public project with what its page shows (404 for anything not public is the caller's)."""
    from apps.accounts.roles import object_or_404

    return object_or_404(
        Project.objects.public()
        .select_related("category", "employer", "campaign")
        .prefetch_related(_awards_prefetch(), Prefetch("team", queryset=TeamMember.objects.order_by("sort_order"))),
        pk=pk,
    )


def studios_with_alliance():
    return Studio.objects.select_related("leader", "employer", "alliance").annotate(
        members_count=Count("members", distinct=True)
    )


def alliance_members():
    return AllianceMembership.objects.select_related("studio__leader", "studio__employer").order_by("role", "joined")


def open_problems(limit: int = 10):
    return (
        TechProblem.objects.filter(
            status__in=[TechProblem.Status.POSTED, TechProblem.Status.CLAIMED, TechProblem.Status.IN_PROGRESS]
        )
        .select_related("enterprise", "claimed_by_studio", "claimed_by_worker")
        .order_by("status", "-posted_on", "-pk")[:limit]
    )


@dataclass
class LeaderRow:
    rank: int
    name: str
    points: int
    anonymous: bool


def leaderboard(*, year: int | None = None, limit: int = 10) -> list[LeaderRow]:
    """Top balances (sum of entries), names shown only with the person's consent. One query."""
    entries = PointsEntry.objects.all()
    if year is not None:
        entries = entries.filter(year=year)
    consent = LeaderboardConsent.objects.filter(user=OuterRef("person_id"), show_name=True)
    rows = (
        entries.values("person_id", "person__real_name", "person__username")
        .annotate(total=Sum("points"), consent=Exists(consent))
        .filter(total__gt=0)
        .order_by("-total", "person_id")[:limit]
    )
    result = []
    for i, row in enumerate(rows, start=1):
        name = row["person__real_name"] or row["person__username"]
        shown = name if row["consent"] else (name[:1] + "**" if name else "**")
        result.append(LeaderRow(i, shown, row["total"], not row["consent"]))
    return result


def service_summary(year: int) -> dict:
    visits = ServiceVisit.objects.filter(date__year=year).aggregate(
        visits=Count("pk"), trained=Coalesce(Sum("workers_trained"), 0)
    )
    return {
        "visits": visits["visits"],
        "trained": visits["trained"],
        "solved": metric_problems_solved(year),
        "targets": ITEM4_TARGETS,
    }


def latest_service_year() -> int | None:
    latest = ServiceVisit.objects.order_by("-date").values_list("date", flat=True).first()
    return latest.year if latest else None


def latest_points_year() -> int | None:
    return PointsEntry.objects.order_by("-year").values_list("year", flat=True).first()


def recent_visits(limit: int = 5):
    return ServiceVisit.objects.select_related("enterprise").order_by("-date", "-pk")[:limit]


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


# --- Officer pages --------------------------------------------------------------------------


def campaign_progress(campaign: Campaign) -> dict:
    """Counts by status and review progress of one campaign — three queries."""
    by_status = dict(Project.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk")).order_by())
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
        .prefetch_related("team", "attachments")
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


# --- Dashboard ------------------------------------------------------------------------------


def dashboard_numbers(year: int) -> dict:
    """Everything the dashboard group shows for a year — nine queries whatever the data size."""
    figures = {row["year"]: row for row in yearly_figures([year, year - 1])}
    reviews = Review.objects.filter(project__campaign__year=year).aggregate(
        submitted=Count("pk", filter=Q(status=Review.Status.SUBMITTED))
    )
    assigned = ReviewAssignment.objects.filter(project__campaign__year=year, recused_at__isnull=True).count()
    points = PointsEntry.objects.filter(year=year).aggregate(n=Coalesce(Sum("points"), 0))["n"]
    service = service_summary(year)
    declared = Project.objects.declared().filter(campaign__year=year)
    by_category = list(
        declared.values_list("category__name").annotate(n=Count("pk")).order_by("-n", "category__name")[:8]
    )
    by_employer = list(
        declared.values_list("employer__name").annotate(n=Count("pk")).order_by("-n", "employer__name")[:5]
    )
    return {
        "by_category": by_category,
        "by_employer": by_employer,
        "now": figures[year],
        "last": figures[year - 1],
        "reviews_done": reviews["submitted"],
        "reviews_assigned": assigned,
        "points": points,
        "service": service,
    }
