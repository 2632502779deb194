"""Small geography helpers shared by apps that show places on a map."""

import math
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def parse_point(lat: str | None, lng: str | None) -> tuple[float, float] | None:
    """A (lat, lng) pair from request strings, or None if missing, non-numeric or out of range."""
    try:
        la, lo = Decimal(str(lat).strip()), Decimal(str(lng).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not (la.is_finite() and lo.is_finite()):
        return None
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return float(la), float(lo)


def format_distance(metres: float) -> str:
    """'850 米' under a kilometre, '3.2 公里' above."""
    if metres < 1000:
        return _("%(n)d 米") % {"n": round(metres)}
    return _("%(n).1f 公里") % {"n": metres / 1000}
