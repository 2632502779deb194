"""Worker stations through ``/api/v1/stations/``: the list with the page's filters, the nearest to
a point, a station, the map markers; a signed-in worker checks in. Reads and writes call the
pages' selectors, forms and services."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from apps.core.api import ERRORS, ApiError, form_invalid, page_cursor, page_number, public_read, session_token
from apps.core.pagecache import public_fragment

from . import selectors, services
from .forms import CheckinForm, StationFilterForm
from .geo import display_point
from .models import Station

router = Router(tags=["stations"])

PER_PAGE = 20
NEAREST_MAX = 50


class StationRowOut(Schema):
    id: int
    name: str
    brand: str
    kind: str
    kind_label: str
    status: str
    is_24h: bool
    open_now: bool
    address: str
    town: str
    latitude: float | None
    longitude: float | None
    amenities: list[str]
    distance_m: float | None = None
    url: str


class StationPageOut(Schema):
    items: list[StationRowOut]
    count: int
    next_cursor: str | None


class AmenityOut(Schema):
    name: str
    icon: str


class HoursOut(Schema):
    weekday: int
    opens: datetime.time
    closes: datetime.time


class StationOut(Schema):
    id: int
    name: str
    brand: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    status_reason: str
    is_24h: bool
    open_now: bool
    address: str
    town: str
    phone: str
    description: str
    latitude: float | None
    longitude: float | None
    amenities: list[AmenityOut]
    hours: list[HoursOut]
    photos: list[str]
    rating_average: float | None
    rating_count: int
    url: str


class MarkerOut(Schema):
    id: int
    name: str
    brand: str
    kind: str
    town: str
    lat: float
    lng: float
    is_24h: bool
    open_now: bool
    status: str
    distance_m: float | None = None


class MarkersOut(Schema):
    count: int
    stations: list[MarkerOut]


class StationFilters(Schema):
    amenity: list[str] = []
    kind: str = ""
    town: int | None = None
    open_now: bool = False
    h24: bool = False


class CheckinIn(Schema):
    occupation: str


class CheckinOut(Schema):
    station: int
    occupation: str
    hour: datetime.datetime
    message: str


def _form(request, *, point: tuple[str, str] | None = None, choices=None):
    """The page's filter form over the query string, checked against the preloaded choices."""
    data = request.GET.copy()
    for name in ("h24", "cursor", "limit"):
        data.pop(name, None)
    if point is not None:
        data["lat"], data["lng"] = point
    form = StationFilterForm(data or None, amenities=choices.amenities, towns=choices.towns) if choices else None
    if form is None:
        form = StationFilterForm(data or None)
    if form.is_bound and not form.is_valid():
        raise form_invalid(form)
    return (form.filters(), form.cleaned_data["point"]) if form.is_bound else ({}, None)


def _rows(rows: list[dict], amenities) -> list[dict]:
    codes = {str(a.pk): a.code for a in amenities}
    kinds = dict(Station.Kind.choices)
    base = selectors.station_base_path()
    return [
        {
            "id": row["pk"],
            "name": row["name"],
            "brand": row["brand"],
            "kind": row["kind"],
            "kind_label": str(kinds.get(row["kind"], row["kind"])),
            "status": row["status"],
            "is_24h": row["is_24h"],
            "open_now": row["is_open"],
            "address": row["address"],
            "town": row["town__name"],
            "latitude": float(row["latitude"]) if row["latitude"] is not None else None,
            "longitude": float(row["longitude"]) if row["longitude"] is not None else None,
            "amenities": [codes[i] for i in (row["amenity_ids"] or "").split(",") if i in codes],
            "distance_m": row.get("distance"),
            "url": f"{base}{row['pk']}/",
        }
        for row in rows
    ]


@router.get("/", response={200: StationPageOut, 422: ERRORS[422]}, summary="驿站列表", url_name="stations_list")
@public_read
def station_list(request, filters: Query[StationFilters], cursor: str | None = None):
    """Public stations in the list's order (town, name), with the list page's filters."""
    choices = selectors.filter_choices()
    found, _point = _form(request, choices=choices)
    qs = selectors.station_search(**found)
    if filters.h24:
        qs = qs.filter(is_24h=True)
    number = page_number(cursor)
    page = selectors.station_list_page(qs, number, PER_PAGE)
    more = page.number == number and page.count > number * PER_PAGE
    rows = page.rows if page.number == number else []
    return {
        "items": _rows(rows, choices.amenities),
        "count": page.count,
        "next_cursor": page_cursor(number + 1 if more else None),
    }


@router.get(
    "/nearest", response={200: list[StationRowOut], 422: ERRORS[422]}, summary="附近驿站", url_name="stations_nearest"
)
def station_nearest(request, lat: str, lng: str, filters: Query[StationFilters], limit: int = 10):
    """The stations nearest to a point (WGS-84), nearest first, each with its distance in metres.

    Not stored by the page cache: every worker stands somewhere else.
    """
    choices = selectors.filter_choices()
    found, point = _form(request, point=(lat, lng), choices=choices)
    qs = selectors.station_search(**found)
    if filters.h24:
        qs = qs.filter(is_24h=True)
    page = selectors.station_list_page(qs, 1, max(1, min(limit, NEAREST_MAX)), point)
    return _rows(page.rows, choices.amenities)


@router.get("/markers", response={200: MarkersOut, 422: ERRORS[422]}, summary="地图标注", url_name="stations_markers")
@public_read
def markers(request, filters: Query[StationFilters]):
    """Every matching station with a point, as the map shows it (coordinates in the tiles' datum)."""
    found, _point = _form(request)
    points = selectors.station_map_points(found, None, only_24h=filters.h24)
    return {"count": len(points), "stations": points}


@router.get("/{pk}", response={200: StationOut, 404: ERRORS[404]}, summary="驿站详情", url_name="stations_detail")
@public_read
def station_detail(request, pk: int):
    """A public station with its amenities, opening hours, photos and rating."""
    try:
        page = public_fragment(
            f"station-api:{get_language()}:{pk}", lambda: selectors.station_page(pk, AnonymousUser())
        )
    except Station.DoesNotExist:
        raise Http404 from None
    station = page.station
    lat = lng = None
    if station.has_point:
        lat, lng = display_point(float(station.latitude), float(station.longitude))
    return {
        "id": station.pk,
        "name": station.name,
        "brand": station.brand,
        "kind": station.kind,
        "kind_label": str(station.get_kind_display()),
        "status": station.status,
        "status_label": str(station.get_status_display()),
        "status_reason": station.status_reason,
        "is_24h": station.is_24h,
        "open_now": station.is_open_at(timezone.now(), page.hours),
        "address": station.address,
        "town": station.town.name,
        "phone": station.phone,
        "description": station.description,
        "latitude": lat,
        "longitude": lng,
        "amenities": [{"name": a.name, "icon": a.icon} for a in page.amenities],
        "hours": [{"weekday": h.weekday, "opens": h.opens, "closes": h.closes} for h in page.hours],
        "photos": [photo.image.url for photo in page.photos],
        "rating_average": page.rating.average,
        "rating_count": page.rating.count,
        "url": station.get_absolute_url(),
    }


@router.post(
    "/{pk}/checkin",
    response={201: CheckinOut, 401: ERRORS[401], 404: ERRORS[404], 409: ERRORS[409], 422: ERRORS[422]},
    auth=session_token,
    summary="驿站签到",
    url_name="stations_checkin",
)
def checkin(request, pk: int, payload: CheckinIn):
    """Check in at a station (once an hour per person, as at the door)."""
    try:
        station = selectors.station_detail(pk)
    except Station.DoesNotExist:
        raise Http404 from None
    form = CheckinForm({"occupation": payload.occupation})
    if not form.is_valid():
        raise form_invalid(form)
    try:
        visit = services.visit_record(station=station, occupation=form.cleaned_data["occupation"], user=request.user)
    except services.AlreadyCheckedIn:
        raise ApiError(
            409, "already_checked_in", _("您本小时内已在此驿站签到过，每小时只记一次，无需重复签到。")
        ) from None
    message = _("签到成功，欢迎来到%(name)s！") % {"name": station.name}
    return Status(201, {"station": station.pk, "occupation": visit.occupation, "hour": visit.hour, "message": message})
