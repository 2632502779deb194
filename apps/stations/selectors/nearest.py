""" "Nearest to me": stations ranked by distance, reading as few of them as the ranking needs."""

import math
from dataclasses import dataclass

from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    QuerySet,
)

from apps.core.geo import EARTH_RADIUS_M, distance_m

# "Nearest" first reads the stations inside a bounding box around the visitor (the coordinates
# index answers it) and computes exact distances only for those. Its ranking is exact for every
# station within the box radius, so when the box holds enough of them nothing else is read;
# otherwise the box widens, and after the last radius the whole set is ranked.
NEAREST_RADII_M = (15_000, 75_000)
# When the stations' extent is known the first radius is sized by their density instead (at
# least NEAREST_MIN_RADIUS_M, at most the last fixed radius) and widens NEAREST_WIDEN-fold, for
# at most NEAREST_BOXES boxes before everything is read.
NEAREST_MIN_RADIUS_M = 1_000
NEAREST_WIDEN = 4
NEAREST_BOXES = 2
# Up to this many located stations, one read of them all is cheaper than boxes.
NEAREST_SCAN_ALL_BELOW = 200
# Outward slack of a box in degrees (~1 m): the bounds are rounded to the column's 6 decimals.
_BOX_SLACK_DEG = 1e-5


def _bounding_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float] | None:
    """(south, north, west, east) of a box holding every point within ``radius_m`` of the point.

    None when no such box exists on the column ranges (it would reach a pole or wrap across
    the antimeridian): the caller then ranks everything. The longitude half-width is the exact
    one of a spherical cap, asin(sin(d) / cos(lat)), which is a little wider than d / cos(lat).
    """
    angle = radius_m / EARTH_RADIUS_M
    dlat = math.degrees(angle)
    south, north = lat - dlat - _BOX_SLACK_DEG, lat + dlat + _BOX_SLACK_DEG
    if south <= -90 or north >= 90:
        return None
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    if ratio >= 1:
        return None
    dlng = math.degrees(math.asin(ratio))
    west, east = lng - dlng - _BOX_SLACK_DEG, lng + dlng + _BOX_SLACK_DEG
    if west < -180 or east > 180:
        return None
    return south, north, west, east


def _ranked(point: tuple[float, float], rows) -> list[tuple[dict, float]]:
    """(row, metres) for rows with "pk", "latitude" and "longitude", nearest first, ties by id."""
    lat, lng = point
    found = [(row, distance_m(lat, lng, float(row["latitude"]), float(row["longitude"]))) for row in rows]
    found.sort(key=lambda item: (item[1], item[0]["pk"]))
    return found


@dataclass(frozen=True)
class Located:
    """How many stations of a set have a point, and the box around them (None when none do)."""

    count: int
    extent: tuple[float, float, float, float] | None = None  # south, north, west, east


def _located_aggregates() -> dict:
    has_point = Q(latitude__isnull=False, longitude__isnull=False)
    return {
        "located": Count("pk", filter=has_point),
        "south": Min("latitude"),
        "north": Max("latitude"),
        "west": Min("longitude"),
        "east": Max("longitude"),
    }


def _located_from(agg: dict) -> Located:
    if not agg["located"]:
        return Located(0)
    return Located(agg["located"], tuple(float(agg[k]) for k in ("south", "north", "west", "east")))


def _radii(point: tuple[float, float], limit: int, located: Located | None):
    """The box radii to try: fixed steps, or steps sized by the stations' density when known."""
    if located is None or located.extent is None:
        return NEAREST_RADII_M
    south, north, west, east = located.extent
    metres_per_degree = math.radians(1) * EARTH_RADIUS_M
    area = max((north - south) * metres_per_degree, 1.0) * max(
        (east - west) * metres_per_degree * math.cos(math.radians(point[0])), 1.0
    )
    # A circle expected to hold about four times the stations asked for, if they were spread evenly.
    first = math.sqrt(4 * limit * area / (math.pi * located.count))
    first = min(max(first, NEAREST_MIN_RADIUS_M), NEAREST_RADII_M[-1])
    return tuple(first * NEAREST_WIDEN**step for step in range(NEAREST_BOXES))


def _nearest(
    qs: QuerySet, point: tuple[float, float], limit: int | None, located: Located | None, read_box, read_all
) -> list[tuple[dict, float]]:
    """The ``limit`` stations of ``qs`` nearest ``point`` as (row, metres): boxes first, then all.

    ``read_box(qs)`` and ``read_all(qs)`` turn a queryset into rows (``read_box`` also reads a
    small set whole). A box is read only when it
    can hold a station and does not hold them all (``located`` says where they are); its
    ranking is exact for every station within its radius, so it answers when at least ``limit``
    of them are that close.
    """
    base = qs.filter(latitude__isnull=False, longitude__isnull=False).order_by()
    if limit is not None and located is not None:
        limit = min(limit, located.count)
        if limit <= 0:
            return []
    small = located is not None and located.count <= NEAREST_SCAN_ALL_BELOW
    for radius in () if limit is None or small else _radii(point, limit, located):
        box = _bounding_box(point[0], point[1], radius)
        if box is None:
            break
        south, north, west, east = box
        if located is not None and located.extent is not None:
            s, n, w, e = located.extent
            if south <= s and n <= north and west <= w and e <= east:
                break  # the box holds every station: read them all
            if north < s or n < south or east < w or e < west:
                continue  # nothing in this box: widen without asking
        rows = read_box(base.filter(latitude__range=(south, north), longitude__range=(west, east)))
        found = [item for item in _ranked(point, rows) if item[1] <= radius]
        if len(found) >= limit:
            return found[:limit]
    found = _ranked(point, (read_box if small else read_all)(base))
    return found if limit is None else found[:limit]


def station_nearest_ids(
    qs: QuerySet, point: tuple[float, float], *, limit: int | None = None, located: Located | None = None
) -> list[tuple[int, float]]:
    """(id, metres) of the stations of ``qs`` closest to ``point``, nearest first (ties by id).

    With a ``limit``, a bounding box around the point is read first (an index range scan on
    the coordinates), and exact distances are computed for the stations inside it only. Every
    station within the box radius is ranked exactly, so when at least ``limit`` of them are that
    close nothing else is read; otherwise the box widens, and after the last one every located
    station is ranked. ``located`` (see :class:`Located`), when the caller knows it, sizes the
    boxes by the stations' density, skips boxes that hold none or all of them, and reads small
    sets at once.
    """

    def read(q):
        return q.values("pk", "latitude", "longitude")

    return [(row["pk"], metres) for row, metres in _nearest(qs, point, limit, located, read, read)]
