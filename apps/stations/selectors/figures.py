"""Counts and figures: one definition per count (home, list, dashboard) and the linked metrics."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from ..models import (
    INSPECTION_INTERVAL_DAYS,
    Inspection,
    Rating,
    Report,
    Station,
    Visit,
)
from .keepers import _with_latest_due, inspection_due_date

# --- One definition per count ---------------------------------------------------------------
# Every station count shown anywhere (load_demo, /stations/, the home panel, the dashboard) comes
# from these filters, and is shown with ``StationCounts.caption`` so readers know what it counts.
COUNT_FILTERS = {
    # Every station on record, including those still being planned and those closed for good.
    "total": Q(),
    # What a worker can find on the map and the list (station_search): not planned, not closed.
    "listed": ~Q(status__in=[Station.Status.PLANNED, Station.Status.CLOSED]),
    # Listed and running normally (not suspended); opening hours still apply to the non-24-hour ones.
    "open": Q(status=Station.Status.OPEN),
    "open_24h": Q(status=Station.Status.OPEN, is_24h=True),
}


@dataclass(frozen=True)
class StationCounts:
    total: int
    listed: int
    open: int
    open_24h: int

    @property
    def caption(self) -> str:
        from django.utils.translation import gettext

        return gettext(
            "共 %(total)s 个驿站（含筹建中和已关闭），地图上可查 %(listed)s 个，"
            "正常开放 %(open)s 个，其中24小时开放 %(open_24h)s 个"
        ) % {"total": self.total, "listed": self.listed, "open": self.open, "open_24h": self.open_24h}


def _count_aggregates() -> dict:
    return {key: Count("pk", filter=q) if q else Count("pk") for key, q in COUNT_FILTERS.items()}


def station_counts() -> StationCounts:
    """The station counts of the whole portal, in one query."""
    return StationCounts(**Station.objects.order_by().aggregate(**_count_aggregates()))


def user_feedback(user, limit: int = 5) -> tuple[list[Rating], list[Report]]:
    ratings = list(Rating.objects.filter(user=user).select_related("station")[:limit])
    reports = list(Report.objects.filter(user=user).select_related("station")[:limit])
    return ratings, reports


# Metrics for the ten-things tracker: one query each.
# The pledge of the 2024 plan: "再建'兴惠有你'24小时自助服务驿站2个" — brand and kind both count.
PLEDGE_BRAND = "兴惠有你"


def metric_opened_24h(year: int) -> int:
    """'兴惠有你' 24-hour outdoor workers' (self-service) stations that opened in the year.

    Other brands' 24-hour stations and stations still being planned do not count.
    """
    return (
        Station.objects.filter(
            kind=Station.Kind.OUTDOOR_24H,
            is_24h=True,
            brand=PLEDGE_BRAND,
            opened_on__gte=datetime.date(year, 1, 1),
            opened_on__lte=datetime.date(year, 12, 31),
        )
        .exclude(status=Station.Status.PLANNED)
        .count()
    )


def metric_visits(year: int) -> int:
    """Check-ins recorded at all stations in the year."""
    return Visit.objects.filter(day__year=year).count()


def dashboard_figures(year: int, today: datetime.date | None = None) -> dict:
    """Station figures for the leaders' dashboard (see :func:`_dashboard_aggregate`)."""
    return _dashboard_aggregate(year, today)[0]


def _dashboard_aggregate(year: int, today: datetime.date | None = None) -> tuple[dict, StationCounts]:
    """Station figures for the leaders' dashboard, in two queries whatever the number of stations.

    ``open``/``open_24h``/``overdue`` describe today (an inspection is overdue exactly as in
    ``stations_overdue``); ``opened`` and ``visits`` count the given year.
    """
    today = today or timezone.localdate()
    interval = datetime.timedelta(days=INSPECTION_INTERVAL_DAYS)
    # The due date is the last inspection's next_due, else a month after opening (or creation).
    overdue = Q(latest_due__lt=today) | Q(
        latest_due__isnull=True,
        opened_on__isnull=False,
        opened_on__lt=today - interval,
    )
    overdue |= Q(latest_due__isnull=True, opened_on__isnull=True, created_at__date__lt=today - interval)
    is_open = COUNT_FILTERS["open"]
    figures = (
        Station.objects.annotate(
            latest_due=Subquery(
                Inspection.objects.filter(station=OuterRef("pk"))
                .order_by("-inspected_on", "-id")
                .values("next_due")[:1]
            )
        )
        .order_by()
        .aggregate(
            **_count_aggregates(),
            overdue=Count("pk", filter=is_open & overdue),
            opened=Count(
                "pk",
                filter=Q(opened_on__gte=datetime.date(year, 1, 1), opened_on__lte=datetime.date(year, 12, 31))
                & ~Q(status=Station.Status.PLANNED),
            ),
        )
    )
    figures["visits"] = Visit.objects.filter(
        day__gte=datetime.date(year, 1, 1), day__lte=datetime.date(year, 12, 31)
    ).count()
    figures["year"] = year
    counts = StationCounts(
        total=figures.pop("total"), listed=figures.pop("listed"), **{key: figures[key] for key in ("open", "open_24h")}
    )
    return figures, counts


def dashboard_figure_group(year: int):
    """The stations block of the leaders' dashboard (through the app contract)."""
    from django.utils.translation import gettext_lazy as _

    from apps.core.contract import Figure, FigureGroup
    from apps.core.registry import metric_target
    from apps.core.status import figure_status

    figures, counts = _dashboard_aggregate(year)
    # The same count as the linked metric "stations.visits": judged against that year's plan.
    visits_target = metric_target("stations.visits", year)
    # One query whatever the number: the open stations with their due dates, judged as everywhere.
    today = timezone.localdate()
    overdue = []
    for station in _with_latest_due(Station.objects.filter(COUNT_FILTERS["open"])).order_by("name"):
        station.due = inspection_due_date(station)
        if station.due < today:
            overdue.append(station)
    # The overdue figure leads to the station itself when there is one, else to the list; the
    # table below it names them all.
    overdue_link = ""
    if len(overdue) == 1:
        overdue_link = reverse("stations:detail", args=[overdue[0].pk])
    elif overdue:
        overdue_link = reverse("stations:list")
    tables = ()
    if overdue:
        tables = ((_("巡检逾期的驿站（应巡检日期）"), tuple((s.name, f"{s.due:%Y-%m-%d}") for s in overdue)),)
    return FigureGroup(
        "stations",
        _("职工驿站"),
        (
            Figure(
                "open",
                _("正常开放的驿站"),
                figures["open"],
                _("个"),
                link=reverse("stations:list"),
                definition=counts.caption,
            ),
            Figure(
                "opened", _("当年新启用驿站"), figures["opened"], _("个"), definition=_("该年启用（不含筹建中）的驿站")
            ),
            Figure(
                "visits",
                _("驿站签到人次"),
                figures["visits"],
                _("人次"),
                target=visits_target,
                status=figure_status(figures["visits"], visits_target, year=year),
                definition=_("该年职工扫码签到次数"),
            ),
            Figure(
                "overdue",
                _("巡检逾期"),
                figures["overdue"],
                _("个"),
                link=overdue_link,
                status="bad" if figures["overdue"] else "ok",
                definition=_("开放驿站中超过下次巡检日期仍未巡检的，按今日计"),
            ),
        ),
        order=40,
        tables=tables,
    )
