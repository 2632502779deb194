"""The station list a page at a time, its rows read as plain values (nearest first with a point)."""

import math
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    OuterRef,
    QuerySet,
    Subquery,
    Window,
)

from ..models import (
    Station,
)
from .nearest import _located_aggregates, _located_from, _nearest


class _IdList(Aggregate):
    """The ids of a group as one comma-separated string (string_agg on PostgreSQL)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


# What a list row shows, read as plain values: no model instances, no per-row queries.
_ROW_FIELDS = (
    "pk",
    "name",
    "brand",
    "kind",
    "status",
    "is_24h",
    "is_open",
    "address",
    "latitude",
    "longitude",
    "town__name",
    "amenity_ids",
)


def _row_values(qs: QuerySet) -> QuerySet:
    """``qs`` as list-row values, each with its amenity ids folded into one column."""
    amenity_ids = (
        Station.amenities.through.objects.filter(station_id=OuterRef("pk"))
        .order_by()
        .values("station_id")
        .annotate(ids=_IdList("amenity_id"))
        .values("ids")
    )
    return qs.annotate(amenity_ids=Subquery(amenity_ids, output_field=CharField()))


@dataclass
class ListPage:
    """One page of the station list: plain rows (dicts of _ROW_FIELDS, ``distance`` with a point)."""

    rows: list[dict]
    count: int
    number: int


def station_list_page(qs: QuerySet, number: int, per_page: int, point: tuple[float, float] | None = None) -> ListPage:
    """A page of ``qs`` in list order, or nearest first from ``point``; out-of-range pages give the last.

    Without a point the rows, their amenities and the total come from one query (the total as
    a window count). With a point: one count, the bounding boxes of "nearest", one row query.
    """
    if point is None:
        ordered = _row_values(qs).order_by("town__sort_order", "name", "pk")
        rows = list(ordered.annotate(total=Window(Count("pk"))).values(*_ROW_FIELDS, "total")[_slice(number, per_page)])
        if not rows and number > 1:
            count = qs.count()
            last = max(1, math.ceil(count / per_page))
            if last == number:
                return ListPage([], count, number)
            number = last
            rows = list(ordered.values(*_ROW_FIELDS)[_slice(number, per_page)])
            return ListPage(rows, count, number)
        return ListPage(rows, rows[0]["total"] if rows else 0, number)
    agg = qs.order_by().aggregate(total=Count("pk"), **_located_aggregates())
    count = agg["total"]
    number = min(number, max(1, math.ceil(count / per_page)))
    start = (number - 1) * per_page
    ranked = _nearest(
        qs,
        point,
        start + per_page,
        _located_from(agg),
        # A box holds a few times a page: its rows are read whole. Everything is read lean,
        # and then the page's rows whole.
        read_box=lambda q: _row_values(q).values(*_ROW_FIELDS),
        read_all=lambda q: q.values("pk", "latitude", "longitude"),
    )[start:]
    if ranked and "amenity_ids" not in ranked[0][0]:
        whole = _row_values(qs.filter(pk__in=[row["pk"] for row, _m in ranked])).values(*_ROW_FIELDS)
        by_id = {row["pk"]: row for row in whole}
        ranked = [(by_id[row["pk"]], metres) for row, metres in ranked]
    rows = []
    for row, metres in ranked:
        row["distance"] = metres
        rows.append(row)
    return ListPage(rows, count, number)


def _slice(number: int, per_page: int) -> slice:
    return slice((number - 1) * per_page, number * per_page)
