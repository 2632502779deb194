"""Activities through ``/api/v1/activities/``: what is on and one activity with its sessions and
places left (anonymous reads); a signed-in worker signs up, cancels and lists their own
enrolments (anyone else's is 404, as on the page). Everything calls the pages' selectors, forms
and services. No public answer carries a child's details; a worker's own list says only whether
an enrolment is for a child."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from apps.accounts.roles import object_or_404
from apps.core.api import ERRORS, ErrorOut, form_invalid, page_cursor, page_number, public_read, session_token
from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment

from . import selectors, services
from .forms import ChildForm
from .models import Activity, Kind
from .views import PER_PAGE

router = Router(tags=["activities"])


class SessionOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    topic: str
    cancelled: bool


class PlacesOut(Schema):
    text: str
    full: bool
    places: int | None
    left: int | None
    waiting_list: bool


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    audience: str
    audience_label: str
    place_name: str
    town: str
    organiser: str
    signup_required: bool
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    next_start: datetime.datetime | None
    places: PlacesOut
    url: str


class ActivityPageOut(Schema):
    items: list[ActivityOut]
    next_cursor: str | None


class ActivityDetailOut(ActivityOut):
    description: str
    partner: str
    latitude: float | None
    longitude: float | None
    sessions: list[SessionOut]


class SignupIn(Schema):
    """A child's details, for a childcare activity only (never shown back)."""

    dependant_name: str = ""
    dependant_age: int | None = None
    guardian_phone: str = ""
    guardian_consent: bool = False


class EnrolmentOut(Schema):
    id: int
    activity: int
    activity_title: str
    state: str
    state_label: str
    for_child: bool
    waiting_position: int | None
    offer_expires_at: datetime.datetime | None
    created_at: datetime.datetime
    message: str = ""


def _places(activity: Activity) -> dict:
    label = selectors.place_label(activity)
    roster = activity.roster
    counted = roster is not None and activity.signup_required and not roster.unlimited
    return {
        "text": str(label["text"]),
        "full": label["full"],
        "places": roster.places if counted else None,
        "left": roster.places_left if counted else None,
        "waiting_list": bool(roster and roster.waiting_list),
    }


def _activity(activity: Activity, now) -> dict:
    upcoming = selectors.next_session(activity, now)
    return {
        "id": activity.pk,
        "kind": activity.kind,
        "kind_label": str(activity.get_kind_display()),
        "title": activity.full_title,
        "audience": activity.audience,
        "audience_label": str(activity.get_audience_display()),
        "place_name": activity.place_name,
        "town": activity.town.name if activity.town_id else "",
        "organiser": activity.organiser.name,
        "signup_required": activity.signup_required,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "next_start": upcoming.occasion.starts_at if upcoming else None,
        "places": _places(activity),
        "url": activity.get_absolute_url(),
    }


def _session(session) -> dict:
    return {
        "id": session.pk,
        "starts_at": session.occasion.starts_at,
        "ends_at": session.occasion.ends_at,
        "topic": session.topic,
        "cancelled": session.occasion.cancelled_at is not None,
    }


@router.get(
    "/activities",
    response={200: ActivityPageOut, 422: ERRORS[422]},
    summary="近期活动",
    url_name="activities_list",
)
@public_read
def activity_list(request, kind: str = "", cursor: str | None = None):
    """Published activities still to come, soonest first (as the list page, a page at a time)."""
    if kind and kind not in Kind.values:
        raise ValidationError({"kind": [_("没有这个活动类型。")]}, code="invalid_kind")
    filters = selectors.ListFilters(kind=kind)
    paginator = Paginator(selectors.activity_list(filters), PER_PAGE)
    number = page_number(cursor)
    if number > max(paginator.num_pages, 1):
        raise ValidationError({"cursor": [_("翻页标记无效，请从第一页重新开始。")]}, code="bad_cursor")
    page = paginator.page(number) if paginator.count else []
    now = timezone.now()
    return {
        "items": [_activity(a, now) for a in page],
        "next_cursor": page_cursor(page.next_page_number()) if page and page.has_next() else None,
    }


def _public(pk: int) -> Activity:
    try:
        return selectors.activity_for_page(pk)
    except Activity.DoesNotExist:
        raise Http404 from None


@router.get(
    "/activities/{pk}",
    response={200: ActivityDetailOut, 404: ERRORS[404]},
    summary="活动详情",
    url_name="activities_detail",
)
@public_read
def activity_detail(request, pk: int):
    """One public activity with its sessions and the places left."""
    activity = _public(pk)
    return {
        **_activity(activity, timezone.now()),
        "description": activity.description,
        "partner": activity.partner,
        "latitude": float(activity.latitude) if activity.has_point else None,
        "longitude": float(activity.longitude) if activity.has_point else None,
        "sessions": [_session(s) for s in activity.sessions.all()],
    }


def _enrolment(enrolment: Enrolment, activity: Activity, message: str = "") -> dict:
    waiting = enrolment.state == Enrolment.State.WAITING
    return {
        "id": enrolment.pk,
        "activity": activity.pk,
        "activity_title": activity.full_title,
        "state": enrolment.state,
        "state_label": str(enrolment.get_state_display()),
        "for_child": bool(enrolment.dependant_name),
        "waiting_position": engine.waiting_position(enrolment) if waiting else None,
        "offer_expires_at": enrolment.offer_expires_at,
        "created_at": enrolment.created_at,
        "message": message,
    }


@router.post(
    "/activities/{pk}/signup",
    # 400: a body that is not JSON at all (the body is optional, so ninja parses it before checking it).
    response={
        201: EnrolmentOut,
        200: EnrolmentOut,
        400: ErrorOut,
        401: ERRORS[401],
        404: ERRORS[404],
        422: ERRORS[422],
    },
    auth=session_token,
    summary="活动报名",
    url_name="activities_signup",
)
def signup(request, pk: int, payload: SignupIn | None = None):
    """Sign up (a child, for childcare): a place, the waiting list or a draw entry, by the
    page's rules; signing up again answers the enrolment already made (200)."""
    activity = _public(pk)
    child = {}
    if activity.is_childcare:
        data = (payload or SignupIn()).dict()
        form = ChildForm({k: v for k, v in data.items() if v not in (None, False, "")})
        if not form.is_valid():
            raise form_invalid(form)
        child = form.cleaned_data
    result = services.activity_signup(activity=activity, person=request.user, **child)
    enrolment = result.enrolment
    if not result.created:
        return _enrolment(enrolment, activity, _("您已报名，无需重复提交。"))
    if enrolment.state == Enrolment.State.WAITING:
        message = _("名额已满，您已进入候补，排第 %(n)s 位。有人取消时会通知您。") % {
            "n": engine.waiting_position(enrolment)
        }
    elif enrolment.state == Enrolment.State.APPLIED:
        message = _("已报名，报名截止后抽签，结果会通知您。")
    else:
        message = _("报名成功！活动前一天会提醒您。")
    return Status(201, _enrolment(enrolment, activity, message))


def _mine():
    return Enrolment.objects.filter(roster__owner_type__app_label="activities")


@router.post(
    "/enrolments/{pk}/cancel",
    response={200: EnrolmentOut, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    auth=session_token,
    summary="取消活动报名",
    url_name="activities_enrolment_cancel",
)
def enrolment_cancel(request, pk: int):
    """Cancel one's own enrolment (anyone else's is 404); a freed place goes to the waiting list."""
    enrolment = object_or_404(_mine().filter(person=request.user), pk=pk)
    activity = object_or_404(Activity.objects.all(), roster_id=enrolment.roster_id)
    services.enrolment_cancel_own(enrolment=enrolment, person=request.user)
    enrolment.refresh_from_db()
    return _enrolment(enrolment, activity, _("已取消报名。"))


@router.get(
    "/enrolments",
    response={200: list[EnrolmentOut], 401: ERRORS[401]},
    auth=session_token,
    summary="我的活动报名",
    url_name="activities_my_enrolments",
)
def my_enrolments(request):
    """The worker's own enrolments, newest first (as the 我的 page lists them)."""
    return [_enrolment(row["enrolment"], row["activity"]) for row in selectors.my_activities(request.user, limit=50)]
