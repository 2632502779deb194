"""What a station's keepers see: their stations, inspections due, open reports and usage."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from ..models import (
    INSPECTION_INTERVAL_DAYS,
    Inspection,
    Report,
    Station,
    Visit,
)


def _with_latest_due(qs: QuerySet) -> QuerySet:
    latest = Inspection.objects.filter(station=OuterRef("pk")).order_by("-inspected_on", "-id")
    return qs.annotate(
        latest_due=Subquery(latest.values("next_due")[:1]),
        latest_inspected_on=Subquery(latest.values("inspected_on")[:1]),
    )


def inspection_due_date(station: Station) -> datetime.date:
    """When the station's next inspection is due: the last inspection says, else a month after opening."""
    due = getattr(station, "latest_due", None)
    if due is not None:
        return due
    start = station.opened_on or timezone.localdate(station.created_at)
    return start + datetime.timedelta(days=INSPECTION_INTERVAL_DAYS)


def keeper_stations(user) -> list[Station]:
    """The stations this keeper looks after, each with ``due`` and ``overdue`` set."""
    today = timezone.localdate()
    stations = list(_with_latest_due(Station.objects.kept_by(user)).select_related("town"))
    for station in stations:
        station.due = inspection_due_date(station)
        station.overdue = station.status == Station.Status.OPEN and station.due < today
    return stations


def stations_kept(user) -> QuerySet:
    """The stations this person keeps, with what a keeper page shows (for ``object_or_404``)."""
    return Station.objects.kept_by(user).select_related("town").prefetch_related("amenities")


def stations_overdue(today: datetime.date | None = None) -> list[Station]:
    """Open stations whose inspection is past due, with their keepers."""
    today = today or timezone.localdate()
    stations = _with_latest_due(Station.objects.filter(status=Station.Status.OPEN)).prefetch_related("keepers")
    overdue = []
    for station in stations:
        station.due = inspection_due_date(station)
        if station.due < today:
            overdue.append(station)
    return overdue


def station_inspections(station: Station, limit: int = 10) -> list[Inspection]:
    return list(station.inspections.select_related("inspector").prefetch_related("items__amenity").all()[:limit])


def station_open_reports(station: Station, limit: int = 20) -> list[Report]:
    return list(station.reports.filter(resolved_at__isnull=True).select_related("user")[:limit])


@dataclass
class UsageDay:
    day: datetime.date
    counts: list[int]
    total: int


@dataclass
class Usage:
    days: list[UsageDay]
    occupations: list[tuple[str, str]]
    totals: list[int]
    total: int
    peak: int

    @property
    def by_occupation(self) -> list[tuple[str, int]]:
        return [(label, n) for (_code, label), n in zip(self.occupations, self.totals)]


def station_usage(station: Station, *, days: int = 90, today: datetime.date | None = None) -> Usage:
    """Visits per day and per occupation over the last ``days`` days (newest first), one query."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    rows = (
        Visit.objects.filter(station=station, day__gte=start, day__lte=today)
        .values("day", "occupation")
        .annotate(n=Count("id"))
        .order_by()
    )
    occupations = list(Visit.Occupation.choices)
    index = {code: i for i, (code, _label) in enumerate(occupations)}
    table: dict[datetime.date, list[int]] = {}
    for row in rows:
        table.setdefault(row["day"], [0] * len(occupations))[index[row["occupation"]]] += row["n"]
    result = []
    for offset in range(days):
        day = today - datetime.timedelta(days=offset)
        counts = table.get(day, [0] * len(occupations))
        result.append(UsageDay(day=day, counts=counts, total=sum(counts)))
    totals = [sum(d.counts[i] for d in result) for i in range(len(occupations))]
    return Usage(
        days=result,
        occupations=occupations,
        totals=totals,
        total=sum(totals),
        peak=max((d.total for d in result), default=0),
    )
