"""Reads of legal aid: each owns its joins so pages run a fixed number of queries."""

from __future__ import annotations

import datetime
import json
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.contract import Figure, FigureGroup

from .models import (
    OPEN_STATES,
    CaseEvent,
    Consultation,
    DisputeCase,
    DutyShift,
    EventInvitee,
    LawyerProfile,
    LedgerEntry,
    LegalEvent,
    LegalStation,
    Registration,
    ShiftMode,
    StationMember,
    StationPartner,
    Topic,
)

GRASSROOTS_TARGET = 26
EVENTS_TARGET = 100
PEOPLE_TARGET = 10_000


def _year_end(year: int) -> datetime.date:
    today = timezone.localdate()
    end = datetime.date(year, 12, 31)
    return min(end, today) if year == today.year else end


# --- Public --------------------------------------------------------------------------------
#
# Public pages read lean rows: only the columns they show, counts as correlated subqueries
# (no GROUP BY over every joined column, which costs more to plan than to run), display values
# and links worked out here so the templates loop over plain attributes.


def _url_maker(name: str):
    """A fast ``pk -> url`` for one URL name: reverse once, then substitute the pk."""
    sentinel = 987654321
    prefix, suffix = reverse(name, args=[sentinel]).split(str(sentinel))
    return lambda pk: f"{prefix}{pk}{suffix}"


def stations_public() -> list[LegalStation]:
    station_url = _url_maker("legal_aid:station")
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
    station_url = _url_maker("legal_aid:station")
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


def bookable_shifts(station=None, *, now=None) -> list[DutyShift]:
    """Shifts in the next four weeks that still have a free slot."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    shifts = shifts_between(today, today + datetime.timedelta(days=28), station=station)
    return [s for s in shifts if s.booked < s.slots and s.starts_at > now]


_EVENT_LIST_FIELDS = ("pk", "kind", "series_number", "title", "starts_at", "place", "capacity", "is_demo")


def events_upcoming(limit: int | None = None):
    qs = (
        LegalEvent.objects.filter(status=LegalEvent.Status.OPEN, starts_at__gt=timezone.now())
        .only(*_EVENT_LIST_FIELDS)
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status="confirmed")))
        .order_by("starts_at")
    )
    return list(qs[:limit] if limit else qs)


def events_archive():
    return (
        LegalEvent.objects.filter(status=LegalEvent.Status.HELD)
        .order_by("-starts_at")
        .only("pk", "kind", "series_number", "title", "starts_at", "place", "head_count", "news_url", "is_demo")
    )


def event_detail(pk: int, user=None) -> LegalEvent:
    """A published event with its registration counts, its invitees counted by category and,
    for a signed-in visitor, their own live registration (``my_registration_id``/``_label``).

    Three plain queries: cheaper to build than one query of correlated subqueries.
    """
    event = LegalEvent.objects.published().get(pk=pk)
    counts = {
        "confirmed": Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        "waiting": Count("pk", filter=Q(status=Registration.Status.WAITING)),
    }
    if user is not None and user.is_authenticated:
        mine = Q(user=user) & ~Q(status=Registration.Status.CANCELLED)
        counts["mine"] = Max("pk", filter=mine)
        counts["mine_status"] = Max("status", filter=mine)
    figures = Registration.objects.filter(event_id=event.pk).aggregate(**counts)
    event.confirmed, event.waiting = figures["confirmed"], figures["waiting"]
    event.my_registration_id = figures.get("mine")
    status = figures.get("mine_status")
    event.my_registration_label = Registration.Status(status).label if status else ""
    invitees = dict(
        EventInvitee.objects.filter(event_id=event.pk).order_by().values_list("category").annotate(n=Count("pk"))
    )
    event.invitee_groups = [
        (label, invitees[code]) for code, label in sorted(EventInvitee.Category.choices) if invitees.get(code)
    ]
    return event


def registration_of(event, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return event.registrations.filter(user=user).exclude(status="cancelled").first()


# --- Staff ---------------------------------------------------------------------------------


def triage_queue(now=None):
    """Open consultations, overdue first, then oldest first."""
    now = now or timezone.now()
    return (
        Consultation.objects.open()
        .select_related("station", "lawyer__user")
        .annotate(
            late=Case(
                When(first_response_at__isnull=True, due_at__lt=now, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("late", "created_at", "pk")
    )


def triage_count(user) -> int | None:
    if not user.is_authenticated:
        return None
    return Consultation.objects.filter(status=Consultation.Status.SUBMITTED).count() or None


def lawyer_queue(user):
    return (
        Consultation.objects.filter(lawyer__user=user)
        .filter(Q(status__in=OPEN_STATES) | Q(status=Consultation.Status.ANSWERED))
        .select_related("station", "shift")
        .order_by("due_at", "pk")
    )


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


def mediator_cases(user):
    return (
        DisputeCase.objects.filter(mediators=user)
        .exclude(stage=DisputeCase.Stage.CLOSED)
        .select_related("station")
        .order_by("applied_on", "pk")
    )


def consultation_for(user, pk: int) -> Consultation:
    """One consultation this person may see (DoesNotExist otherwise)."""
    return (
        Consultation.objects.visible_to(user)
        .select_related("station", "lawyer__user", "lawyer__firm", "worker", "shift", "employer")
        .prefetch_related("attachments", "callbacks", "conflict_checks__person")
        .get(pk=pk)
    )


def case_for(user, pk: int) -> DisputeCase:
    return (
        DisputeCase.objects.visible_to(user)
        .select_related("station", "lawyer__user", "source_consultation")
        .prefetch_related(
            "applicants",
            "mediators",
            "sessions",
            "documents",
            "conflict_checks__person",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def my_records(user) -> dict:
    """A worker's own consultations, cases and event registrations for /me/."""
    consultations = list(
        Consultation.objects.filter(worker=user).select_related("station", "shift").order_by("-created_at")[:10]
    )
    cases = list(
        DisputeCase.objects.filter(applicants__user=user)
        .distinct()
        .select_related("station")
        .order_by("-applied_on")[:10]
    )
    registrations = list(
        Registration.objects.filter(user=user)
        .exclude(status="cancelled")
        .filter(event__starts_at__gte=timezone.now() - datetime.timedelta(days=30))
        .select_related("event")
        .order_by("event__starts_at")[:10]
    )
    return {"consultations": consultations, "cases": cases, "registrations": registrations}


# --- Metrics and figures -------------------------------------------------------------------


def metric_grassroots_stations(year: int) -> int:
    """Grassroots stations open at the end of the year (today for the current year)."""
    return LegalStation.objects.filter(kind=LegalStation.Kind.GRASSROOTS).open_on(_year_end(year)).count()


def metric_events_held(year: int) -> int:
    """Legal education events held in the year."""
    return LegalEvent.objects.filter(status=LegalEvent.Status.HELD, starts_at__year=year).count()


def metric_people_served(year: int) -> int:
    """People served in the year per the service ledger."""
    return LedgerEntry.objects.filter(date__year=year).aggregate(n=Sum("people"))["n"] or 0


def metric_new_form_served(year: int) -> int:
    return LedgerEntry.objects.filter(date__year=year).aggregate(n=Sum("new_form_people"))["n"] or 0


def _status(value, target, year) -> str:
    today = timezone.localdate()
    if year < today.year:
        share = 1
    elif year > today.year:
        return ""
    else:
        share = today.timetuple().tm_yday / 365
    if value >= target:
        return "ok"
    return "ok" if value / target >= share * 0.9 else "warn"


def dashboard_figure_group(year: int) -> FigureGroup:
    """Item 9's figures and the consultation / case breakdowns: eight queries whatever the data."""
    stations = metric_grassroots_stations(year)
    events = metric_events_held(year)
    ledger = LedgerEntry.objects.filter(date__year=year).aggregate(p=Sum("people"), n=Sum("new_form_people"))
    people, new_form = ledger["p"] or 0, ledger["n"] or 0
    in_year = Consultation.objects.filter(created_at__year=year)
    by_topic = dict(in_year.order_by().values_list("topic").annotate(n=Count("pk")))
    by_status = dict(in_year.order_by().values_list("status").annotate(n=Count("pk")))
    responses = in_year.filter(first_response_at__isnull=False).values_list("created_at", "first_response_at")
    hours = [(answered - asked).total_seconds() / 3600 for asked, answered in responses]
    median = round(statistics.median(hours), 1) if hours else None
    cases = DisputeCase.objects.filter(applied_on__year=year)
    by_stage = dict(cases.order_by().values_list("stage").annotate(n=Count("pk")))
    money = cases.aggregate(
        claimed=Sum("amount_claimed"),
        agreed=Sum("amount_agreed"),
        recovered=Sum("amount_recovered"),
        settled=Count("pk", filter=Q(settled_on__isnull=False)),
        decided=Count(
            "pk",
            filter=Q(settled_on__isnull=False)
            | Q(stage__in=["failed", "arbitration", "litigation"])
            | Q(stage="closed", outcome__in=["arbitrated", "judged"]),
        ),
    )
    rate = round(money["settled"] * 100 / money["decided"]) if money["decided"] else None
    zero = Decimal("0")
    figures = (
        Figure(
            "grassroots_stations",
            _("基层工会法律服务站"),
            stations,
            _("个"),
            target=GRASSROOTS_TARGET,
            status=_status(stations, GRASSROOTS_TARGET, year),
            definition=_("年末（当年为今天）处于开放或暂停状态的基层工会法律服务站，每个乡镇/街道至多一个"),
        ),
        Figure(
            "events_held",
            _("法治宣传活动"),
            events,
            _("场"),
            target=EVENTS_TARGET,
            status=_status(events, EVENTS_TARGET, year),
            definition=_("该年登记为“已举办”的法治宣传、以案普法、实景课堂和送法进企业活动场次"),
        ),
        Figure(
            "people_served",
            _("法律服务职工"),
            people,
            _("名"),
            target=PEOPLE_TARGET,
            status=_status(people, PEOPLE_TARGET, year),
            definition=_("该年服务台账的服务人数合计（已答复的咨询自动计入一次，到站、电话、入企、活动由站点登记）"),
        ),
        Figure(
            "new_form_served",
            _("其中新就业形态劳动者"),
            new_form,
            _("名"),
            definition=_("该年服务台账中新就业形态劳动者（外卖、快递、网约车、货车司机等）人数合计"),
        ),
        Figure(
            "median_first_response",
            _("首次响应时间中位数"),
            median,
            _("小时"),
            definition=_("该年提交的咨询中，从提交到首次回拨或答复的时间的中位数（尚未响应的不计）"),
        ),
        Figure(
            "settlement_rate",
            _("调解成功率"),
            rate,
            "%",
            definition=_("该年受理的案件中，调解成功的件数占已有调解结果（成功或不成）件数的比例"),
        ),
        Figure(
            "amount_claimed",
            _("请求金额"),
            money["claimed"] or zero,
            _("元"),
            definition=_("该年受理的调解案件请求金额合计"),
        ),
        Figure(
            "amount_agreed",
            _("协议金额"),
            money["agreed"] or zero,
            _("元"),
            definition=_("该年受理、调解成功的案件调解协议约定金额合计"),
        ),
        Figure(
            "amount_recovered",
            _("挽回金额"),
            money["recovered"] or zero,
            _("元"),
            definition=_("该年受理、已结案的案件为职工实际挽回的金额合计"),
        ),
    )
    tables = (
        (_("咨询按问题类型"), tuple((label, by_topic.get(code, 0)) for code, label in Topic.choices)),
        (_("咨询按状态"), tuple((label, by_status.get(code, 0)) for code, label in Consultation.Status.choices)),
        (_("调解案件按阶段"), tuple((label, by_stage.get(code, 0)) for code, label in DisputeCase.Stage.choices)),
    )
    return FigureGroup("legal_aid", _("法律维权"), figures, order=50, tables=tables)
