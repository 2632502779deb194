"""Reads of the station search: the filters a worker sets and the stations that match."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from apps.core.models import Town

from ..models import (
    Amenity,
    OpeningHours,
    Station,
)


def _with_open_flag(qs: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Annotate ``is_open``: open status and (24h or today's hours cover the current time)."""
    local = timezone.localtime(now or timezone.now())
    hours_now = OpeningHours.objects.filter(
        station=OuterRef("pk"), weekday=local.weekday(), opens__lte=local.time(), closes__gt=local.time()
    )
    return qs.alias(hours_now=Exists(hours_now)).annotate(
        is_open=Case(
            When(Q(status=Station.Status.OPEN) & (Q(is_24h=True) | Q(hours_now=True)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def station_search(
    *,
    amenities=(),
    kind: str = "",
    town=None,
    open_now: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet:
    """Public stations matching the worker's filters, each annotated with ``is_open``."""
    # Closed stations keep their page (a door QR may still point at it) but leave the map.
    qs = _with_open_flag(Station.objects.public().exclude(status=Station.Status.CLOSED), now)
    for amenity in amenities:
        # One EXISTS per amenity: "has 热饭 and 饮水", without duplicate rows from joins.
        qs = qs.filter(Exists(Station.amenities.through.objects.filter(station=OuterRef("pk"), amenity=amenity)))
    if kind:
        qs = qs.filter(kind=kind)
    if town is not None:
        qs = qs.filter(town=town)
    if open_now:
        qs = qs.filter(is_open=True)
    return qs


@dataclass
class FilterChoices:
    amenities: list[Amenity]
    towns: list[Town]
    keeps_stations: bool  # whether the visitor keeps any station (for the keepers' link)


def filter_choices(user=None) -> FilterChoices:
    """The amenities and towns of the list's filter sheet, in their orders, with one query.

    With a ``user``, the same query says whether they keep a station.
    """
    text, number = CharField(), IntegerField()
    amenities = Amenity.objects.order_by().values_list(Value("a", text), "pk", "code", "name", "sort_order")
    parts = [Town.objects.order_by().values_list(Value("t", text), "pk", Value("", text), "name", "sort_order")]
    if user is not None and user.is_authenticated:
        kept = Station.keepers.through.objects.filter(user=user).order_by()
        blank = Value("", text)
        parts.append(kept.values_list(Value("k", text), "station_id", blank, blank, Value(0, number)))
    found = FilterChoices([], [], False)
    for table, pk, code, name, sort_order in amenities.union(*parts, all=True):
        if table == "a":
            found.amenities.append(Amenity(pk=pk, code=code, name=name, sort_order=sort_order))
        elif table == "t":
            found.towns.append(Town(pk=pk, name=name, sort_order=sort_order))
        else:
            found.keeps_stations = True
    found.amenities.sort(key=lambda a: (a.sort_order, a.name))
    found.towns.sort(key=lambda t: (t.sort_order, t.name))
    return found
