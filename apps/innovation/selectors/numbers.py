"""Yearly numbers: the linked metrics, the figures per year, the 助企行 summary and the dashboard's block."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from apps.core import registry

from ..models import Award, PointsEntry, Project, Review, ReviewAssignment, ServiceVisit, TechProblem

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

# The linked metrics of item 4 of the ten practical things (劳模工匠助企行), by figure. Their
# yearly targets come from that year's plan (the indicators linked to these keys), never from here.
ITEM4_METRICS = {
    "visits": "innovation.service_visits",
    "problems": "innovation.problems_solved",
    "trained": "innovation.people_trained",
}


def item4_targets(year: int) -> dict[str, int | Decimal | None]:
    """The year's plan targets of the three 助企行 figures; None where the plan links no indicator."""
    return {name: _whole(registry.metric_target(key, year)) for name, key in ITEM4_METRICS.items()}


def _whole(number: Decimal | None) -> int | Decimal | None:
    """20.00 shows as 20: plan targets are stored with two decimals."""
    if number is None or number != number.to_integral_value():
        return number
    return int(number)


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


def service_summary(year: int) -> dict:
    visits = ServiceVisit.objects.filter(date__year=year).aggregate(
        visits=Count("pk"), trained=Coalesce(Sum("workers_trained"), 0)
    )
    return {
        "visits": visits["visits"],
        "trained": visits["trained"],
        "solved": metric_problems_solved(year),
        "targets": item4_targets(year),
    }


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
