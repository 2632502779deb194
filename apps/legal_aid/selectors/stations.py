"""Public station reads: the list and map, a station page with its 组织架构."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from ..models import LawyerProfile, LegalStation, StationMember, StationPartner, Topic
from .common import url_maker

# --- Public --------------------------------------------------------------------------------
#
# Public pages read lean rows: only the columns they show, counts as correlated subqueries
# (no GROUP BY over every joined column, which costs more to plan than to run), display values
# and links worked out here so the templates loop over plain attributes.


def stations_public() -> list[LegalStation]:
    station_url = url_maker("legal_aid:station")
    stations = list(
        LegalStation.objects.public()
        .select_related("town")
        .only(
            "pk",
            "name",
            "kind",
            "status",
            "address",
            "latitude",
            "longitude",
            "hours",
            "is_demo",
            "town",
            "town__name",
            "town__sort_order",
        )
        .order_by("kind", "town__sort_order", "name")
    )
    for station in stations:
        station.url = station_url(station.pk)
    return stations


def station_detail(pk: int) -> LegalStation:
    """A public station with its town and host, and its partners, current members and lawyers.

    Two queries: the station, then one UNION of the three short lists (see ``_station_people``).
    """
    station = (
        LegalStation.objects.public()
        .select_related("town", "host")
        .only(*_STATION_FIELDS, "town__name", "host__name", "host__short_name")
        .get(pk=pk)
    )
    station.partner_rows, station.current_members, station.lawyer_rows = _station_people(station.pk)
    return station


_STATION_FIELDS = (
    "pk",
    "name",
    "kind",
    "status",
    "status_reason",
    "address",
    "hours",
    "phone",
    "services",
    "description",
    "opened_on",
    "is_demo",
    "town",
    "host",
)


def _org_name(field: str):
    """An organisation as its ``__str__`` names it: the short name, else the full name."""
    return Coalesce(NullIf(F(f"{field}__short_name"), Value("")), F(f"{field}__name"), output_field=CharField())


@dataclass(frozen=True)
class PersonRow:
    name: str
    detail: str


def _station_people(station_id: int) -> tuple[list[PersonRow], list[PersonRow], list[PersonRow]]:
    """Partners, current members and lawyers of a station in one UNION ALL query.

    Every branch yields (list, sort key, name, role or firm, specialties as text).
    """
    today = timezone.localdate()
    text = CharField()
    display = Coalesce(NullIf(F("user__real_name"), Value("")), F("user__username"), output_field=text)
    partners = StationPartner.objects.filter(station_id=station_id).values_list(
        Value("p", output_field=text),
        Cast("pk", text),
        _org_name("organization"),
        Cast("role", text),
        Value("", output_field=text),
    )
    members = (
        StationMember.objects.current(today)
        .filter(station_id=station_id)
        .values_list(
            Value("m", output_field=text), Cast("pk", text), display, Cast("role", text), Value("", output_field=text)
        )
    )
    lawyers = LawyerProfile.objects.filter(stations=station_id).values_list(
        Value("l", output_field=text),
        Cast("pk", text),
        display,
        _org_name("firm"),
        Cast("specialties", text),
    )
    rows = list(partners.order_by().union(members.order_by(), lawyers.order_by(), all=True))
    partner_roles = dict(StationPartner.Role.choices)
    member_roles = dict(StationMember.Role.choices)
    topics = dict(Topic.choices)
    by_list: dict[str, list] = {"p": [], "m": [], "l": []}
    for kind, pk, name, extra, specialties in rows:
        by_list[kind].append((int(pk), name, extra, specialties))
    partner_rows = [
        PersonRow(name, str(partner_roles.get(role, role)))
        for _pk, name, role, _s in sorted(by_list["p"], key=lambda r: (r[2], r[0]))
    ]
    member_rows = [
        PersonRow(name, str(member_roles.get(role, role)))
        for _pk, name, role, _s in sorted(by_list["m"], key=lambda r: (r[2], r[0]))
    ]
    lawyer_rows = []
    for _pk, name, firm, specialties in sorted(by_list["l"], key=lambda r: (r[1], r[0])):
        codes = json.loads(specialties) if specialties else []
        labels = [str(topics[code]) for code in codes or [] if code in topics]
        lawyer_rows.append(PersonRow(name, " · ".join([firm or "", *labels])))
    return partner_rows, member_rows, lawyer_rows
