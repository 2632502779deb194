"""Points and stations for the distance tests: a home point, offsets from it in metres, stations
made in bulk, and the slow obvious ranking the fast one must equal."""

import math
from decimal import Decimal

from apps.core.geo import EARTH_RADIUS_M, distance_m
from apps.core.tests.factories import TownFactory
from apps.stations.models import Station

HOME = (32.93, 119.84)


def brute_force(point, qs=None):
    """Every located station ranked the slow, obvious way: (id, metres), nearest first, ties by id."""
    qs = qs if qs is not None else Station.objects.all()
    rows = qs.filter(latitude__isnull=False).values_list("pk", "latitude", "longitude")
    ranked = [(pk, distance_m(point[0], point[1], float(la), float(lo))) for pk, la, lo in rows]
    return sorted(ranked, key=lambda row: (row[1], row[0]))


def offset(point, north_m=0.0, east_m=0.0):
    """A point about ``north_m`` north and ``east_m`` east of ``point`` (small distances)."""
    lat = point[0] + math.degrees(north_m / EARTH_RADIUS_M)
    lng = point[1] + math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(point[0]))))
    return lat, lng


def bulk_stations(points, town=None, prefix="P"):
    """Located 24-hour stations at ``points``, in one INSERT (no signals: nothing cached is refreshed)."""
    town = town or TownFactory()
    return Station.objects.bulk_create(
        [
            Station(
                code=f"{prefix}-{i}",
                name=f"驿站{prefix}{i}",
                town=town,
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lng:.6f}"),
                is_24h=True,
            )
            for i, (lat, lng) in enumerate(points)
        ]
    )
