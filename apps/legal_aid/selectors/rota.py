"""The duty roster as the pages show it: public duty tables, bookable slots, a lawyer's shifts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ..models import DutyShift, ShiftMode
from .common import url_maker


def shifts_between(start: datetime.date, end: datetime.date, *, station=None) -> list[DutyShift]:
    """Active shifts in a date range with their station and lawyer, and how many slots are booked."""
    qs = DutyShift.objects.filter(date__gte=start, date__lte=end, status__in=["scheduled", "confirmed"])
    if station is not None:
        qs = qs.filter(station=station)
    shifts = list(
        qs.select_related("station", "lawyer__user", "lawyer__firm")
        .annotate(booked=Count("bookings", filter=~Q(bookings__status="cancelled")))
        .order_by("date", "start", "station__name")
    )
    for shift in shifts:
        shift.free = max(0, shift.slots - shift.booked)
    return shifts


@dataclass(frozen=True)
class ShiftRow:
    """A duty shift as the public pages show it."""

    date: datetime.date
    start: datetime.time
    end: datetime.time
    mode: str
    lawyer: str
    firm: str
    station: str
    station_url: str
    slots: int
    booked: int = 0

    @property
    def free(self) -> int:
        return max(0, self.slots - self.booked)


def shifts_public(start: datetime.date, end: datetime.date, *, station_id: int | None = None) -> list[ShiftRow]:
    """Active shifts in a date range for the public pages: one query of plain values."""
    qs = DutyShift.objects.filter(date__gte=start, date__lte=end, status__in=["scheduled", "confirmed"])
    if station_id is not None:
        qs = qs.filter(station_id=station_id)
    else:
        qs = qs.order_by("date", "start", "station__name")
    rows = qs.values_list(
        "date",
        "start",
        "end",
        "mode",
        "lawyer__user__real_name",
        "lawyer__user__username",
        "lawyer__firm__short_name",
        "lawyer__firm__name",
        "station_id",
        "station__name",
        "slots",
        "pk",
    )
    if station_id is not None:
        # Only the station page shows free slots: GROUP BY the few selected columns.
        rows = rows.annotate(booked=Count("bookings", filter=~Q(bookings__status="cancelled"))).order_by(
            "date", "start"
        )
    station_url = url_maker("legal_aid:station")
    modes = dict(ShiftMode.choices)
    return [
        ShiftRow(
            date=date,
            start=begin,
            end=finish,
            mode=str(modes.get(mode, mode)),
            lawyer=real_name or username,
            firm=firm_short or firm,
            station=station_name,
            station_url=station_url(sid),
            slots=slots,
            booked=row[0] if row else 0,
        )
        for (
            date,
            begin,
            finish,
            mode,
            real_name,
            username,
            firm_short,
            firm,
            sid,
            station_name,
            slots,
            _pk,
            *row,
        ) in rows
    ]


def duty_this_week(today: datetime.date | None = None) -> list[ShiftRow]:
    today = today or timezone.localdate()
    return shifts_public(today, today + datetime.timedelta(days=6))


def bookable_shifts(station=None, *, now=None) -> list[DutyShift]:
    """Shifts in the next four weeks that still have a free slot."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    shifts = shifts_between(today, today + datetime.timedelta(days=28), station=station)
    return [s for s in shifts if s.booked < s.slots and s.starts_at > now]


def lawyer_shifts(user, today=None) -> list[DutyShift]:
    today = today or timezone.localdate()
    return list(
        DutyShift.objects.filter(
            lawyer__user=user,
            date__gte=today - datetime.timedelta(days=7),
            date__lte=today + datetime.timedelta(days=35),
        )
        .select_related("station")
        .annotate(booked=Count("bookings", filter=~Q(bookings__status="cancelled")))
        .order_by("date", "start")
    )
