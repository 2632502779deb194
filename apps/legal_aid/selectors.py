"""Reads of legal aid: each owns its joins so pages run a fixed number of queries."""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.contract import Figure, FigureGroup

from .models import (
    OPEN_STATES,
    CaseEvent,
    Consultation,
    DisputeCase,
    DutyShift,
    LawyerProfile,
    LedgerEntry,
    LegalEvent,
    LegalStation,
    Registration,
    StationMember,
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


def stations_public() -> list[LegalStation]:
    return list(LegalStation.objects.public().select_related("town").order_by("kind", "town__sort_order", "name"))


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


def duty_this_week(today: datetime.date | None = None) -> list[DutyShift]:
    today = today or timezone.localdate()
    return shifts_between(today, today + datetime.timedelta(days=6))


def station_detail(pk: int) -> LegalStation:
    today = timezone.localdate()
    return (
        LegalStation.objects.public()
        .select_related("town", "host")
        .prefetch_related(
            "partners__organization",
            Prefetch(
                "members",
                queryset=StationMember.objects.current(today).select_related("user").order_by("role", "pk"),
                to_attr="current_members",
            ),
            Prefetch("lawyers", queryset=LawyerProfile.objects.select_related("user", "firm")),
        )
        .get(pk=pk)
    )


def bookable_shifts(station=None, *, now=None) -> list[DutyShift]:
    """Shifts in the next four weeks that still have a free slot."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    shifts = shifts_between(today, today + datetime.timedelta(days=28), station=station)
    return [s for s in shifts if s.booked < s.slots and s.starts_at > now]


def events_upcoming(limit: int | None = None):
    qs = (
        LegalEvent.objects.filter(status=LegalEvent.Status.OPEN, starts_at__gt=timezone.now())
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


def event_detail(pk: int) -> LegalEvent:
    return (
        LegalEvent.objects.published()
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed"), distinct=True),
            waiting=Count("registrations", filter=Q(registrations__status="waiting"), distinct=True),
        )
        .prefetch_related("invitees")
        .get(pk=pk)
    )


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
