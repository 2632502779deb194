"""Legal aid through ``/api/v1/legal_aid/``: the stations and who is on duty, legal events; a
signed-in worker asks a question, follows their own consultations (anyone else's is 404, as on
the page) and signs up for events. Everything calls the pages' forms, selectors and services."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from apps.accounts.roles import object_or_404
from apps.core.api import ERRORS, cursor_page, form_invalid, public_read, session_token
from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.enrolment.models import Enrolment

from . import selectors, services
from .forms import ConsultationForm
from .models import LegalEvent, LegalStation

router = Router(tags=["legal_aid"])


class LegalStationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    status: str
    address: str
    hours: str
    town: str
    latitude: float | None
    longitude: float | None
    url: str


class ShiftOut(Schema):
    date: datetime.date
    start: datetime.time
    end: datetime.time
    mode: str
    lawyer: str
    firm: str
    station: str
    station_url: str
    free: int


class LegalStationDetailOut(LegalStationOut):
    phone: str
    services: list[str]
    description: str
    host: str
    shifts: list[ShiftOut]


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    starts_at: datetime.datetime
    place: str
    capacity: int | None
    url: str


class EventPageOut(Schema):
    items: list[EventOut]
    next_cursor: str | None


class EventDetailOut(EventOut):
    description: str
    confirmed: int
    waiting: int


class ConsultationIn(Schema):
    station: int
    topic: str
    question: str
    channel: str = "callback"
    contact_name: str
    contact_phone: str
    employer_name: str = ""
    shift: int | None = None
    callback_date: datetime.date | None = None
    callback_window: str = ""
    is_new_form: bool = False
    health_consent: bool = False
    consent: bool = False


class ConsultationOut(Schema):
    id: int
    station: str
    topic: str
    topic_label: str
    question: str
    channel: str
    status: str
    status_label: str
    created_at: datetime.datetime
    due_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    url: str


class ConsultationPageOut(Schema):
    items: list[ConsultationOut]
    next_cursor: str | None


class RegistrationOut(Schema):
    id: int
    event: int
    status: str
    status_label: str
    message: str


def _station(station) -> dict:
    return {
        "id": station.pk,
        "name": station.name,
        "kind": station.kind,
        "kind_label": str(station.get_kind_display()),
        "status": station.status,
        "address": station.address,
        "hours": station.hours,
        "town": station.town.name if station.town_id else "",
        "latitude": float(station.latitude) if station.latitude is not None else None,
        "longitude": float(station.longitude) if station.longitude is not None else None,
        "url": station.get_absolute_url(),
    }


def _shift(row) -> dict:
    return {
        "date": row.date,
        "start": row.start,
        "end": row.end,
        "mode": row.mode,
        "lawyer": row.lawyer,
        "firm": row.firm,
        "station": row.station,
        "station_url": row.station_url,
        "free": row.free,
    }


def _event(event, *, capacity: bool = True) -> dict:
    # The archive reads its rows lean, without the capacity (it no longer matters).
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "title": event.title,
        "starts_at": event.starts_at,
        "place": event.place,
        "capacity": event.capacity if capacity else None,
        "url": event.get_absolute_url(),
    }


@router.get("/stations", response=list[LegalStationOut], summary="维权服务站", url_name="legal_stations")
@public_read
def stations(request):
    """老黄维权站 and the grassroots stations, flagship first."""
    return [_station(s) for s in selectors.stations_public()]


@router.get(
    "/stations/{pk}",
    response={200: LegalStationDetailOut, 404: ERRORS[404]},
    summary="服务站详情",
    url_name="legal_station",
)
@public_read
def station(request, pk: int):
    """A station with its host and the next two weeks of duty shifts."""
    try:
        found = selectors.station_detail(pk)
    except LegalStation.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    shifts = selectors.shifts_public(today, today + datetime.timedelta(days=13), station_id=found.pk)
    return {
        **_station(found),
        "phone": found.phone,
        "services": found.services,
        "description": found.description,
        "host": str(found.host) if found.host_id else "",
        "shifts": [_shift(s) for s in shifts],
    }


@router.get("/duty/today", response=list[ShiftOut], summary="今日值班", url_name="legal_duty_today")
@public_read
def duty_today(request):
    """Who is on duty today, at every station."""
    today = timezone.localdate()
    return [_shift(s) for s in selectors.shifts_public(today, today)]


@router.get("/duty/week", response=list[ShiftOut], summary="本周值班", url_name="legal_duty_week")
@public_read
def duty_week(request):
    """Who is on duty today and the six days after."""
    return [_shift(s) for s in selectors.duty_this_week()]


@router.get("/events", response=list[EventOut], summary="近期法律活动", url_name="legal_events")
@public_read
def events(request):
    """Upcoming legal events open for sign-up, soonest first."""
    return [_event(e) for e in selectors.events_upcoming()]


@router.get(
    "/events/archive",
    response={200: EventPageOut, 422: ERRORS[422]},
    summary="往期活动",
    url_name="legal_events_archive",
)
@public_read
def events_archive(request, cursor: str | None = None, limit: int = 20):
    """Events held, newest first."""
    rows, next_cursor = cursor_page(
        selectors.events_archive(), cursor=cursor, limit=limit, ordering=("-starts_at", "-id")
    )
    return {"items": [_event(e, capacity=False) for e in rows], "next_cursor": next_cursor}


@router.get(
    "/events/{pk}", response={200: EventDetailOut, 404: ERRORS[404]}, summary="活动详情", url_name="legal_event"
)
@public_read
def event(request, pk: int):
    """A published event with how many have signed up and are waiting."""
    try:
        found = selectors.event_detail(pk, None)
    except LegalEvent.DoesNotExist:
        raise Http404 from None
    return {
        **_event(found),
        "description": found.description,
        "confirmed": found.confirmed,
        "waiting": found.waiting,
    }


def _consultation(c) -> dict:
    return {
        "id": c.pk,
        "station": c.station.name,
        "topic": c.topic,
        "topic_label": str(c.get_topic_display()),
        "question": c.question,
        "channel": c.channel,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "created_at": c.created_at,
        "due_at": c.due_at,
        "answer": c.answer,
        "answered_at": c.answered_at,
        "closed_at": c.closed_at,
        "url": c.get_absolute_url(),
    }


@router.post(
    "/consultations",
    response={201: ConsultationOut, 401: ERRORS[401], 422: ERRORS[422], 429: ERRORS[429]},
    auth=session_token,
    summary="提交法律咨询",
    url_name="legal_consultations",
)
def consultation_new(request, payload: ConsultationIn):
    """Ask a legal question (the page's form and rules; consent is required)."""
    data = payload.dict()
    station_found = LegalStation.objects.filter(pk=payload.station).first()
    form = ConsultationForm(
        {k: v for k, v in data.items() if v not in (None, False)}, {}, shifts=selectors.bookable_shifts(station_found)
    )
    if not form.is_valid():
        raise form_invalid(form)
    cleaned = form.cleaned_data
    callback_from, callback_to = form.callback_range()
    consultation = services.consultation_submit(
        worker=request.user,
        station=cleaned["station"],
        topic=cleaned["topic"],
        question=cleaned["question"],
        channel=cleaned["channel"],
        consent=cleaned["consent"],
        contact_name=cleaned["contact_name"],
        contact_phone=cleaned["contact_phone"],
        employer_name=cleaned["employer_name"],
        shift=cleaned.get("shift"),
        callback_from=callback_from,
        callback_to=callback_to,
        is_new_form=cleaned["is_new_form"],
        health_consent=cleaned["health_consent"],
    )
    return Status(201, _consultation(consultation))


@router.get(
    "/consultations",
    response={200: ConsultationPageOut, 401: ERRORS[401], 422: ERRORS[422]},
    auth=session_token,
    summary="我的法律咨询",
    url_name="legal_my_consultations",
)
def my_consultations(request, cursor: str | None = None, limit: int = 20):
    """The worker's own consultations, newest first."""
    qs = selectors.consultations_visible(request.user).filter(worker=request.user).select_related("station")
    rows, next_cursor = cursor_page(qs, cursor=cursor, limit=limit, ordering=("-created_at", "-id"))
    return {"items": [_consultation(c) for c in rows], "next_cursor": next_cursor}


@router.get(
    "/consultations/{pk}",
    response={200: ConsultationOut, 401: ERRORS[401], 404: ERRORS[404]},
    auth=session_token,
    summary="咨询进度",
    url_name="legal_consultation",
)
def consultation(request, pk: int):
    """One consultation this person may see (404 for anyone else's); the view is audited."""
    found = object_or_404(selectors.consultations_with_parts(request.user), pk=pk)
    audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=found)
    return _consultation(found)


def _registration(registration, event_id: int, message: str) -> dict:
    """A registration is an enrolment on the event's roster (the enrolment engine's states)."""
    return {
        "id": registration.pk,
        "event": event_id,
        "status": registration.state,
        "status_label": str(registration.get_state_display()),
        "message": message,
    }


@router.post(
    "/events/{pk}/registration",
    response={200: RegistrationOut, 201: RegistrationOut, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    auth=session_token,
    summary="活动报名",
    url_name="legal_event_register",
)
def event_register(request, pk: int):
    """Sign up for an event; when it is full, join the waiting list. Asking again returns the
    registration already made (200), so a retried call never makes a second one."""
    found = object_or_404(LegalEvent.objects.published(), pk=pk)
    result = services.event_register(event=found, user=request.user)
    registration = result.enrolment
    if not result.created:
        message = _("您已经报名了这个活动。")
    elif registration.state == Enrolment.State.CONFIRMED:
        message = _("报名成功。")
    else:
        message = _("名额已满，您已进入候补名单；有人取消时将按顺序递补并通知您。")
    return Status(201 if result.created else 200, _registration(registration, found.pk, message))


@router.post(
    "/registrations/{pk}/cancel",
    response={200: RegistrationOut, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    auth=session_token,
    summary="取消报名",
    url_name="legal_registration_cancel",
)
def registration_cancel(request, pk: int):
    """Cancel one's own registration (anyone else's is 404)."""
    registration = object_or_404(
        Enrolment.objects.filter(
            person=request.user, roster__owner_type=ContentType.objects.get_for_model(LegalEvent)
        ).select_related("roster"),
        pk=pk,
    )
    services.registration_cancel(registration=registration, by=request.user)
    registration.refresh_from_db()
    return _registration(registration, registration.roster.owner_id, _("已取消报名。"))
