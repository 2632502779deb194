"""The public innovation index: its figures, campaigns, leaders and visits in one UNION ALL query."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, CharField, Count, Exists, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf

from ..models import (
    Award,
    AwardLevel,
    Campaign,
    LeaderboardConsent,
    Phase,
    PointsEntry,
    Project,
    Publicity,
    ServiceVisit,
    TechProblem,
)
from .numbers import REVIEWED_OR_LATER, SCREENED_OR_LATER, item4_targets
from .public import LeaderRow, open_problems, studios_with_alliance

S = Project.Status


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
    # The page opens on a year with results, not on this year's five zeros (those follow, said in words).
    for row in figures:
        row["empty"] = not any(
            row[key] for key in ("declared", "city", "taizhou_project", "wuyi_medal", "wuyi_innovator")
        )
    figures.sort(key=lambda row: (row["empty"], -row["year"]))
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
            "targets": item4_targets(service_year),
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
