"""Settings and the people told by default: shared by every section."""

from __future__ import annotations

from django.conf import settings

from apps.accounts.roles import users_holding

from ..models import StationMember


def response_days() -> int:
    """A consultation's first answer is due within this many working days (of the core calendar)."""
    return int(getattr(settings, "LEGAL_AID_RESPONSE_WORKING_DAYS", 2))


def retention_days() -> int:
    """How long closed consultations and cases are kept (a setting; three years by default)."""
    return int(getattr(settings, "LEGAL_AID_RETENTION_DAYS", 3 * 365))


def station_staff_ids(station) -> list[int]:
    """The people the station names as its current staff (its 组织架构)."""
    return list(StationMember.objects.current().filter(station=station).values_list("user_id", flat=True))


def legal_officers():
    """Who is told when a station has no staff to tell: the legal officers (superusers aside)."""
    return users_holding("legal_officer", include_superusers=False)
