"""Reads of the public pages: the showcase, a public project, studios, open problems, the leaderboard."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Sum

from ..models import (
    AllianceMembership,
    Award,
    LeaderboardConsent,
    PointsEntry,
    Project,
    ServiceVisit,
    Studio,
    TeamMember,
    TechProblem,
)

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


def latest_service_year() -> int | None:
    latest = ServiceVisit.objects.order_by("-date").values_list("date", flat=True).first()
    return latest.year if latest else None


def latest_points_year() -> int | None:
    return PointsEntry.objects.order_by("-year").values_list("year", flat=True).first()


def recent_visits(limit: int = 5):
    return ServiceVisit.objects.select_related("enterprise").order_by("-date", "-pk")[:limit]
