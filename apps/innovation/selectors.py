"""Reads of the innovation app. Each selector owns its joins so every page makes a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf

from .models import (
    AllianceMembership,
    Award,
    AwardLevel,
    Campaign,
    LeaderboardConsent,
    Objection,
    Phase,
    PointsEntry,
    Project,
    Publicity,
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


# --- The public index page ------------------------------------------------------------------


@dataclass
class ShowcaseRow:
    """An awarded public project as the index shows it."""

    pk: int
    title: str
    year: int
    category: str
    employer: str
    is_demo: bool
    url: str
    awards: list[str]


_COLUMNS = ("t", "yr", "k", "n", "x", "t2", "t3")


def _index_rows(today, limit: int = 10) -> list[tuple]:
    """The index's figures, campaigns, points leaders and latest visits in one UNION ALL query.

    Every branch yields (tag, year, text1, n, extra, text2, text3):

    - ``p`` projects of the three latest campaigns by (campaign year, status): n;
    - ``a`` awards of the three latest award years by (year, kind): n;
    - ``v`` service visits by year: n, extra = workers trained; ``s`` problems solved by year: n;
    - ``c`` campaigns: year, name, n = pk, extra = 1 if its entry is open today + 2 if it has a
      publicity, phase, entry close date;
    - ``y``/``z`` the top ``limit`` points balances of the latest year with points / of all time:
      year, real name, n = points, extra = 1 if the name may be shown, username, person id;
    - ``r`` the five latest service visits: year, enterprise, n = workers trained, extra = pk, topic, date.

    Databases that cannot slice inside a UNION run the sliced branches on their own.
    """
    text, number = CharField(), IntegerField()
    blank, zero = Value("", output_field=text), Value(0, output_field=number)

    def grouped(qs, label, year, key=blank, n=None, extra=zero):
        return (
            qs.order_by()
            .annotate(t=Value(label, output_field=text), yr=year, k=key)
            .values("t", "yr", "k")
            .annotate(n=n or Count("pk"), x=extra, t2=blank, t3=blank)
            .values_list(*_COLUMNS)
        )

    def rows(qs, label, year, k, n, x, t2=blank, t3=blank):
        return qs.annotate(t=Value(label, output_field=text), yr=year, k=k, n=n, x=x, t2=t2, t3=t3).values_list(
            *_COLUMNS
        )

    solved = TechProblem.objects.filter(status=TechProblem.Status.SOLVED, solved_on__isnull=False)
    # Only the three latest campaign years and award years can be shown: keep the scans to them.
    latest_campaigns = Campaign.objects.order_by("-year").values("pk")[:3]
    latest_award_years = Award.objects.order_by("-year").values("year").distinct()[:3]
    groups = [
        grouped(Project.objects.filter(campaign__in=latest_campaigns), "p", F("campaign__year"), Cast("status", text)),
        grouped(Award.objects.filter(year__in=latest_award_years), "a", F("year"), Cast("kind", text)),
        grouped(solved, "s", ExtractYear("solved_on")),
        grouped(ServiceVisit.objects.all(), "v", ExtractYear("date"), extra=Coalesce(Sum("workers_trained"), 0)),
    ]
    is_open = Case(When(entry_opens__lte=today, entry_closes__gte=today, then=1), default=0, output_field=number)
    has_publicity = Case(
        When(Exists(Publicity.objects.filter(campaign=OuterRef("pk"))), then=2), default=0, output_field=number
    )
    campaigns = rows(
        Campaign.objects.order_by(),
        "c",
        F("year"),
        Cast("name", text),
        F("pk"),
        is_open + has_publicity,
        Cast("phase", text),
        Cast("entry_closes", text),
    )
    shown = Case(
        When(Exists(LeaderboardConsent.objects.filter(user=OuterRef("person_id"), show_name=True)), then=1),
        default=0,
        output_field=number,
    )

    def leaders(entries, label, year):
        return (
            entries.annotate(t=Value(label, output_field=text), yr=year, k=Cast("person__real_name", text))
            .values("t", "yr", "person_id", "k", "person__username")
            .annotate(n=Sum("points"), x=shown, t2=Cast("person__username", text), t3=Cast("person_id", text))
            .filter(n__gt=0)
            .order_by("-n", "person_id")
            .values_list(*_COLUMNS)[:limit]
        )

    latest_year = PointsEntry.objects.order_by("-year").values("year")[:1]
    enterprise = Coalesce(NullIf(F("enterprise__short_name"), blank), F("enterprise__name"), output_field=text)
    sliced = [
        leaders(PointsEntry.objects.filter(year=Subquery(latest_year)), "y", F("year")),
        leaders(PointsEntry.objects.all(), "z", zero),
        rows(
            ServiceVisit.objects.order_by("-date", "-pk"),
            "r",
            ExtractYear("date"),
            enterprise,
            F("workers_trained"),
            F("pk"),
            Cast("topic", text),
            Cast("date", text),
        )[:5],
    ]
    first, *rest = [*groups, campaigns]
    if connection.features.supports_slicing_ordering_in_compound:
        return list(first.union(*rest, *sliced, all=True))
    return [*first.union(*rest, all=True), *(row for qs in sliced for row in qs)]


def _figures_row(year: int, statuses: dict, awards: dict) -> dict:
    count = lambda wanted: sum(n for status, n in statuses.items() if status in wanted)  # noqa: E731
    return {
        "year": year,
        "declared": sum(n for status, n in statuses.items() if status not in (S.DRAFT, S.WITHDRAWN)),
        "screened": count(SCREENED_OR_LATER),
        "reviewed": count(REVIEWED_OR_LATER),
        "awarded": count([S.AWARDED]),
        "city": awards.get(Award.Kind.CITY, 0),
        "taizhou_project": awards.get(Award.Kind.TAIZHOU_PROJECT, 0),
        "wuyi_medal": awards.get(Award.Kind.WUYI_MEDAL, 0),
        "wuyi_innovator": awards.get(Award.Kind.WUYI_INNOVATOR, 0),
        "province": awards.get(Award.Kind.PROVINCE, 0) + awards.get(Award.Kind.NATIONAL, 0),
    }


def showcase_rows(limit: int = 12) -> list[ShowcaseRow]:
    """``showcase()`` as plain rows: the projects and their awards in one LEFT JOIN query."""
    from django.urls import reverse

    ids = Project.objects.public().order_by("-campaign__year", "pk").values("pk")[:limit]
    rows = (
        Project.objects.filter(pk__in=ids)
        .order_by("-campaign__year", "pk", "awards__kind", "awards__pk")
        .values_list(
            "pk",
            "title",
            "campaign__year",
            "category__name",
            "employer__short_name",
            "employer__name",
            "is_demo",
            "awards__kind",
            "awards__level",
        )
    )
    sentinel = 987654321
    prefix, suffix = reverse("innovation:project", args=[sentinel]).split(str(sentinel))
    kinds, levels = dict(Award.Kind.choices), dict(AwardLevel.choices)
    result: dict[int, ShowcaseRow] = {}
    for pk, title, year, category, short, employer, is_demo, kind, level in rows:
        row = result.get(pk)
        if row is None:
            row = result[pk] = ShowcaseRow(
                pk, title, year, category, short or employer or "", is_demo, f"{prefix}{pk}{suffix}", []
            )
        if kind:
            row.awards.append(f"{kinds.get(kind, kind)} {levels.get(level, level)}" if level else str(kinds[kind]))
    return list(result.values())


@dataclass
class VisitRow:
    date: datetime.date
    enterprise: str
    topic: str
    workers_trained: int


def index_page(today) -> dict:
    """Everything the public innovation index shows: four queries whatever the data (the numbers,
    the showcase, the studios, the open problems)."""
    by_project, by_award, by_visit, by_solved = defaultdict(dict), defaultdict(dict), {}, {}
    campaigns, boards, visits = [], {"y": [], "z": []}, []
    points_year = None
    for tag, year, text1, n, extra, text2, text3 in _index_rows(today):
        if tag == "p":
            by_project[year][text1] = n
        elif tag == "a":
            by_award[year][text1] = n
        elif tag == "v":
            by_visit[year] = (n, extra)
        elif tag == "s":
            by_solved[year] = n
        elif tag == "c":
            campaigns.append((year, text1, extra, text2, text3))
        elif tag in boards:
            boards[tag].append((n, int(text3), text1 or text2, bool(extra)))
            points_year = year if tag == "y" else points_year
        else:
            visits.append((text3, extra, VisitRow(datetime.date.fromisoformat(text3), text1, text2, n)))
    campaigns.sort(reverse=True)
    years = sorted({c[0] for c in campaigns[:3]} | set(sorted(by_award, reverse=True)[:3]), reverse=True)[:3]
    figures = [_figures_row(year, by_project.get(year, {}), by_award.get(year, {})) for year in years]
    service_year = max(by_visit) if by_visit else today.year
    visit_count, trained = by_visit.get(service_year, (0, 0))
    open_campaign = next(
        (
            {"name": name, "entry_closes": datetime.date.fromisoformat(closes)}
            for _y, name, flags, _p, closes in campaigns
            if flags & 1
        ),
        None,
    )
    publicity_year = next(
        (year for year, _n, flags, phase, _c in campaigns if flags & 2 and phase == Phase.PUBLICITY), None
    )
    return {
        "figures": figures,
        "showcase": showcase_rows(),
        "studios": studios_with_alliance(),
        "problems": open_problems(),
        "service": {
            "visits": visit_count,
            "trained": trained,
            "solved": by_solved.get(service_year, 0),
            "targets": ITEM4_TARGETS,
        },
        "service_year": service_year,
        "visits": [row for _d, _pk, row in sorted(visits, reverse=True)],
        "open_campaign": open_campaign,
        "publicity_year": publicity_year,
        "year": points_year or today.year,
        "leaders_year": _leader_rows(boards["y"]),
        "leaders_all": _leader_rows(boards["z"]),
    }


def _leader_rows(rows) -> list[LeaderRow]:
    result = []
    for i, (points, _person, name, shown) in enumerate(sorted(rows, key=lambda r: (-r[0], r[1])), start=1):
        result.append(LeaderRow(i, name if shown else (name[:1] + "**" if name else "**"), points, not shown))
    return result
