"""The map's markers and map.json: one list per filter combination and minute, shared by everyone."""

import hashlib
import json
import math
from collections import OrderedDict

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.compression import gzipped
from apps.core.geo import EARTH_RADIUS_M
from apps.core.pagecache import current_generation, public_fragment

from ..geo import display_point
from ..models import (
    Station,
)
from .search import station_search

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
    fragments are off or the shared cache is down (nothing may then be kept)."""
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
    generation = current_generation()
    if generation is None:  # the shared cache is down: nothing proves a kept list current
        return None, build()
    key = (generation, name)
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
