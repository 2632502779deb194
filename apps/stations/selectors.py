"""Reads of the stations app. Each selector owns its joins so pages make a fixed number of queries."""

import datetime
import hashlib
import json
import math
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.compression import gzipped
from apps.core.geo import EARTH_RADIUS_M, distance_m
from apps.core.models import Town
from apps.core.pagecache import current_generation, public_fragment

from .geo import display_point
from .models import (
    INSPECTION_INTERVAL_DAYS,
    Amenity,
    Inspection,
    OpeningHours,
    Rating,
    Report,
    Station,
    StationPhoto,
    Visit,
)

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


MARKERS_CACHE_SECONDS = 60
# Marker lists this process has read lately, by page-cache generation and fragment name (which
# names the minute): an entry found here is exactly what the shared cache holds (or held) under
# it, and map.json skips fetching and unpickling a 2,000-marker list on every request.
_MARKERS_MEMO: OrderedDict = OrderedDict()
_MARKERS_MEMO_SIZE = 16
# map.json's finished bodies (UTF-8 and gzip) without a position, by marker key and "24h only":
# the same for everyone asking with those filters, so joined and compressed once per marker list.
_BODIES_MEMO: OrderedDict = OrderedDict()


def _marker_json(marker: dict) -> str:
    return json.dumps(marker, cls=DjangoJSONEncoder, ensure_ascii=False)


def station_base_path() -> str:
    """The path a station's id and "/" complete ("/stations/"): its page without a reverse() each."""
    return reverse("stations:detail", args=[0]).rsplit("0/", 1)[0]


def _markers_build(qs: QuerySet) -> tuple[list[dict], list[tuple[float, float, float, float]], list[str]]:
    rows = qs.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "pk", "name", "brand", "kind", "latitude", "longitude", "is_24h", "is_open", "status", "town__name"
    )
    # Labels are translated once per request, not once per row (2,000 gettext calls add up).
    kinds = {code: str(label) for code, label in Station.Kind.choices}
    statuses = {code: str(label) for code, label in Station.Status.choices}
    base = station_base_path()
    markers, wgs84 = [], []
    for pk, name, brand, kind, latitude, longitude, is_24h, is_open, status, town in rows:
        lat, lng = float(latitude), float(longitude)
        shown_lat, shown_lng = display_point(lat, lng)
        markers.append(
            {
                "id": pk,
                "name": name,
                "brand": brand,
                "kind": kinds.get(kind, kind),
                "town": town,
                "lat": shown_lat,
                "lng": shown_lng,
                "is_24h": is_24h,
                "open_now": is_open,
                "status": statuses.get(status, status),
                "url": f"{base}{pk}/",
            }
        )
        # The point, its latitude in radians and that latitude's cosine: what a distance needs.
        phi = math.radians(lat)
        wgs84.append((lat, lng, phi, math.cos(phi)))
    # Each marker's JSON, serialised once with the list (map.json joins them; see station_map_json).
    # The page's script builds a station's link from its id (``stationBase`` in the map config):
    # at 5,000 stations the links were a seventh of the gzipped body.
    return markers, wgs84, [_marker_json({k: v for k, v in m.items() if k != "url"}) for m in markers]


def _markers(filters: dict) -> tuple[list[dict], list[tuple[float, float, float, float]], list[str]]:
    """The marker list of a filter combination: built with one query, shared for a minute.

    The "open now" flag is worked out per minute; any write to a public model (a station, its
    hours or amenities) starts afresh with the page cache (apps/core/pagecache.py).
    """
    return _keyed_markers(filters)[1]


def _keyed_markers(filters: dict) -> tuple[tuple | None, tuple]:
    """(memo key, marker list) of a filter combination (see _markers); no key when shared
    fragments are off (nothing may then be kept)."""
    now = timezone.now()
    signature = repr(
        (
            sorted(a.pk for a in filters.get("amenities", ())),
            filters.get("kind", ""),
            getattr(filters.get("town"), "pk", None),
            bool(filters.get("open_now")),
            settings.MAP_TILE_COORDS,
            translation.get_language(),
            now.strftime("%Y%m%d%H%M"),
        )
    )
    name = "stations-markers:" + hashlib.sha1(signature.encode()).hexdigest()

    def build():
        return _markers_build(station_search(**filters, now=now))

    if not settings.FRAGMENT_CACHE_ENABLED:
        return None, build()
    key = (current_generation(), name)
    found = _MARKERS_MEMO.get(key)
    if found is not None:
        _MARKERS_MEMO.move_to_end(key)
        return key, found
    found = public_fragment(name, build, seconds=MARKERS_CACHE_SECONDS)
    _remember(_MARKERS_MEMO, key, found)
    return key, found


def _remember(memo: OrderedDict, key, value) -> None:
    memo[key] = value
    while len(memo) > _MARKERS_MEMO_SIZE:
        memo.popitem(last=False)


def _ranked_markers(found, point, only_24h: bool) -> list[tuple[int, int | None]]:
    """(index into the marker list, metres or None) of the markers to show, in their order."""
    markers, wgs84, _fragments = found
    chosen = [i for i, m in enumerate(markers) if m["is_24h"]] if only_24h else range(len(markers))
    if point is None:
        return [(i, None) for i in chosen]
    # apps.core.geo.distance_m, term for term (the same floats), with the marker's share precomputed.
    lat0, lng0 = point
    p1 = math.radians(lat0)
    cos_p1 = math.cos(p1)
    sin, asin, sqrt, radians, diameter = math.sin, math.asin, math.sqrt, math.radians, 2 * EARTH_RADIUS_M
    placed = []
    for i in chosen:
        _lat, lng, p2, cos_p2 = wgs84[i]
        a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos_p2 * sin(radians(lng - lng0) / 2) ** 2
        placed.append((i, round(diameter * asin(sqrt(a)))))
    placed.sort(key=lambda item: (item[1], markers[item[0]]["id"]))
    return placed


def station_map_points(
    filters: dict | None = None, point: tuple[float, float] | None = None, *, only_24h: bool = False
) -> list[dict]:
    """Marker data for every matching station with a point (nearest first with a point).

    Distances are computed per request, since every worker stands somewhere else.
    """
    found = _markers(filters or {})
    markers = found[0]
    return [
        markers[i] if metres is None else {**markers[i], "distance_m": metres}
        for i, metres in _ranked_markers(found, point, only_24h)
    ]


def station_map_json(
    filters: dict | None = None, point: tuple[float, float] | None = None, *, only_24h: bool = False
) -> str:
    """map.json's body: what JsonResponse would write for station_map_points (less each marker's
    ``url``, which the page builds from the id), without re-serialising.

    Each marker's JSON is kept with the cached list; a distance is spliced in before its closing
    brace, exactly where ``{**marker, "distance_m": n}`` would put it.
    """
    return _map_json(_markers(filters or {}), point, only_24h)


def station_map_bodies(
    filters: dict | None = None, point: tuple[float, float] | None = None, *, only_24h: bool = False
) -> tuple[bytes, bytes | None]:
    """map.json's body as UTF-8 and, when worth it, gzipped (``None`` otherwise).

    Without a position the body is the same for everyone with these filters: both forms are made
    once per marker list (at most a minute old, gone with any station change) and kept in the
    process. A position's body is everyone's own, built per request and sent as it is.
    """
    key, found = _keyed_markers(filters or {})
    if point is not None:
        return _map_json(found, point, only_24h).encode(), None
    memo_key = (key, only_24h)
    bodies = _BODIES_MEMO.get(memo_key) if key is not None else None
    if bodies is None:
        plain = _map_json(found, None, only_24h).encode()
        bodies = (plain, gzipped(plain, "application/json", level=9))  # made once: worth the time
        if key is not None:
            _remember(_BODIES_MEMO, memo_key, bodies)
    else:
        _BODIES_MEMO.move_to_end(memo_key)
    return bodies


def _map_json(found, point: tuple[float, float] | None, only_24h: bool) -> str:
    fragments = found[2]
    ranked = _ranked_markers(found, point, only_24h)
    stations = ", ".join(
        fragments[i] if metres is None else f'{fragments[i][:-1]}, "distance_m": {metres}}}' for i, metres in ranked
    )
    body = f'{{"count": {len(ranked)}, "stations": [{stations}]'
    if point is not None:
        body += ', "origin": ' + _marker_json(display_point(*point))
    return body + "}"


def station_detail(pk: int) -> Station:
    """One public station with everything its page shows (raises Station.DoesNotExist).

    The rating average and count come with the station (``rating_average``/``rating_count``,
    see :func:`station_rating_summary`); amenities, hours and photos are prefetched.
    """
    ratings = Rating.objects.filter(station=OuterRef("pk")).order_by().values("station")
    return (
        _with_open_flag(Station.objects.public())
        .annotate(
            rating_average=Subquery(ratings.annotate(v=Avg("score")).values("v")),
            rating_count=Subquery(ratings.annotate(n=Count("pk")).values("n")),
        )
        .select_related("town", "operator")
        .prefetch_related("amenities", "hours", "photos")
        .get(pk=pk)
    )


@dataclass
class RatingSummary:
    average: float | None
    count: int


def station_rating_summary(station: Station) -> RatingSummary:
    """The average score and number of ratings (no query for a station from station_detail)."""
    if hasattr(station, "rating_count"):
        average, count = station.rating_average, station.rating_count or 0
    else:
        agg = Rating.objects.filter(station=station).aggregate(avg=Avg("score"), n=Count("id"))
        average, count = agg["avg"], agg["n"]
    return RatingSummary(average=round(average, 1) if average is not None else None, count=count)


class _JSONRows(Aggregate):
    """The JSON objects of a group joined with commas: a JSON array once wrapped in [ ] (any order)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def _json_rows(qs: QuerySet, **fields) -> Subquery:
    """A subquery giving, per station, its rows of ``qs`` (filtered on OuterRef) as JSON text."""
    rows = qs.order_by().values("station_id").annotate(rows=_JSONRows(JSONObject(**fields))).values("rows")
    return Subquery(rows, output_field=TextField())


def _parse_rows(text: str | None) -> list[dict]:
    return json.loads(f"[{text}]") if text else []


@dataclass
class StationPage:
    """A station with everything its public page shows, read in one query."""

    station: Station
    amenities: list[Amenity]
    hours: list[OpeningHours]
    photos: list[StationPhoto]
    rating: RatingSummary
    my_rating: Rating | None
    is_keeper: bool


def station_page(pk: int, user) -> StationPage:
    """One public station for its page (raises Station.DoesNotExist), with one query.

    Amenities, opening hours and photos come folded into the station's row as JSON; so do the
    rating average and count and, for a signed-in visitor, their own rating and whether they
    keep the station.
    """
    here = OuterRef("pk")
    ratings = Rating.objects.filter(station=here).order_by().values("station")
    qs = _with_open_flag(Station.objects.public()).annotate(
        rating_average=Subquery(ratings.annotate(v=Avg("score")).values("v")),
        rating_count=Subquery(ratings.annotate(n=Count("pk")).values("n")),
        amenity_rows=_json_rows(
            Station.amenities.through.objects.filter(station=here),
            id="amenity_id",
            name="amenity__name",
            icon="amenity__icon",
            sort_order="amenity__sort_order",
        ),
        hours_rows=_json_rows(
            OpeningHours.objects.filter(station=here), id="id", weekday="weekday", opens="opens", closes="closes"
        ),
        photo_rows=_json_rows(
            StationPhoto.objects.filter(station=here),
            id="id",
            image="image",
            caption="caption",
            sort_order="sort_order",
        ),
    )
    signed_in = user.is_authenticated
    if signed_in:
        mine = Rating.objects.filter(station=here, user=user)
        qs = qs.annotate(
            my_score=Subquery(mine.values("score")[:1]),
            my_comment=Subquery(mine.values("comment")[:1]),
            keeps=Exists(Station.keepers.through.objects.filter(station=here, user=user)),
        )
    station = qs.select_related("town", "operator").get(pk=pk)
    amenities = [
        Amenity(id=row["id"], name=row["name"], icon=row["icon"], sort_order=row["sort_order"])
        for row in _parse_rows(station.amenity_rows)
    ]
    amenities.sort(key=lambda a: (a.sort_order, a.name, a.pk))
    hours = [
        OpeningHours(
            id=row["id"],
            station_id=station.pk,
            weekday=row["weekday"],
            opens=datetime.time.fromisoformat(row["opens"]),
            closes=datetime.time.fromisoformat(row["closes"]),
        )
        for row in _parse_rows(station.hours_rows)
    ]
    hours.sort(key=lambda h: (h.weekday, h.pk))
    photos = [
        StationPhoto(id=row["id"], station_id=station.pk, image=row["image"], caption=row["caption"] or "")
        for row in sorted(_parse_rows(station.photo_rows), key=lambda r: (r["sort_order"], r["id"]))
    ]
    my_rating = None
    if signed_in and station.my_score is not None:
        my_rating = Rating(station_id=station.pk, user=user, score=station.my_score, comment=station.my_comment)
    return StationPage(
        station=station,
        amenities=amenities,
        hours=hours,
        photos=photos,
        rating=station_rating_summary(station),
        my_rating=my_rating,
        is_keeper=signed_in and (user.is_superuser or station.keeps),
    )


def station_comments(station: Station, limit: int = 20) -> list[Rating]:
    return list(Rating.objects.approved_comments().filter(station=station).select_related("user")[:limit])


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

    figures, counts = _dashboard_aggregate(year)
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
            Figure("visits", _("驿站签到人次"), figures["visits"], _("人次"), definition=_("该年职工扫码签到次数")),
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
