"""One station's public page: the station with its amenities, hours, photos and ratings."""

import dataclasses
import datetime
import json
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import JSONObject

from ..models import (
    Amenity,
    OpeningHours,
    Rating,
    Station,
    StationPhoto,
)
from .search import _with_open_flag


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


def station_page_personal(page: StationPage, user) -> StationPage:
    """The shared page (``station_page`` built for nobody) with a signed-in visitor's own rating
    and whether they keep the station, in one query."""
    here = page.station.pk
    mine = Rating.objects.filter(station_id=here, user=user).order_by()
    found = (
        Station.objects.filter(pk=here)
        .annotate(
            my_score=Subquery(mine.values("score")[:1]),
            my_comment=Subquery(mine.values("comment")[:1]),
            keeps=Exists(Station.keepers.through.objects.filter(station_id=here, user=user)),
        )
        .values_list("my_score", "my_comment", "keeps")
        .first()
    )
    score, comment, keeps = found or (None, "", False)
    my_rating = None if score is None else Rating(station_id=here, user=user, score=score, comment=comment)
    return dataclasses.replace(page, my_rating=my_rating, is_keeper=user.is_superuser or bool(keeps))


def station_comments(station: Station, limit: int = 20) -> list[Rating]:
    return list(Rating.objects.approved_comments().filter(station=station).select_related("user")[:limit])
