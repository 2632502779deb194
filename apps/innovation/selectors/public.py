"""Reads of the public pages: the showcase, a public project, studios, open problems, a leaderboard row."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch

from ..models import Award, ModelWorker, Project, Publicity, Studio, TeamMember, TechProblem

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


def model_worker_of(user) -> ModelWorker | None:
    """The 劳模工匠库 entry of a signed-in person (who may claim technical problems), if any."""
    if not user.is_authenticated:
        return None
    return ModelWorker.objects.filter(user=user).first()


def publicity_of(campaign) -> Publicity | None:
    """A campaign's 公示, once it has been opened."""
    return Publicity.objects.filter(campaign=campaign).first()
