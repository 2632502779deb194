"""Membership through ``/api/v1/membership/``, signed in only: a worker's own membership and
latest application, applying to join (the join page's form and service) and the electronic card
with the same signed 24-hour token the card page draws its QR code from."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from apps.core.api import ERRORS, form_invalid, session_token

from . import selectors, services
from .forms import JoinForm

router = Router(tags=["membership"])


class MemberOut(Schema):
    number: str
    union: str
    since: datetime.date
    state: str
    state_label: str
    current: bool


class ApplicationOut(Schema):
    id: int
    union: str
    state: str
    state_label: str
    open: bool
    route_reason: str
    submitted_at: datetime.datetime
    due_on: datetime.date
    decided_at: datetime.datetime | None


class MembershipOut(Schema):
    member: MemberOut | None
    application: ApplicationOut | None


class ApplicationIn(Schema):
    real_name: str
    occupation: str
    town: int
    employer: int | None = None
    employer_name: str = ""
    consent: bool = False


class CardOut(Schema):
    name: str
    number: str
    union: str
    since: datetime.date
    token: str
    verify_url: str
    issued_at: datetime.datetime
    expires_at: datetime.datetime


def _member(member) -> dict | None:
    if member is None:
        return None
    return {
        "number": member.number,
        "union": member.union.name,
        "since": member.since,
        "state": member.state,
        "state_label": str(member.get_state_display()),
        "current": member.is_current,
    }


def _application(application) -> dict | None:
    if application is None:
        return None
    return {
        "id": application.pk,
        "union": application.union.name,
        "state": application.state,
        "state_label": str(application.get_state_display()),
        "open": application.is_open,
        "route_reason": application.route_reason,
        "submitted_at": application.submitted_at,
        "due_on": application.due_on,
        "decided_at": application.decided_at,
    }


@router.get(
    "/me",
    response={200: MembershipOut, 401: ERRORS[401]},
    auth=session_token,
    summary="我的会员状态",
    url_name="membership_me",
)
def me(request):
    """The worker's membership (if any) and their latest application."""
    mine = selectors.my_membership(request.user)
    return {"member": _member(mine.member), "application": _application(mine.application)}


@router.post(
    "/applications",
    response={201: ApplicationOut, 401: ERRORS[401], 422: ERRORS[422]},
    auth=session_token,
    summary="申请入会",
    url_name="membership_applications",
)
def application_new(request, payload: ApplicationIn):
    """Apply to join through the join page's form and service (a proven phone, one open application)."""
    data = {k: v for k, v in payload.dict().items() if v not in (None, False)}
    form = JoinForm(data)
    if not form.is_valid():
        raise form_invalid(form)
    cleaned = form.cleaned_data
    application = services.application_submit(
        person=request.user,
        real_name=cleaned["real_name"],
        employer=cleaned["employer"],
        employer_name=cleaned["employer_name"],
        occupation=cleaned["occupation"],
        town=cleaned["town"],
        consent=cleaned["consent"],
    )
    return Status(201, _application(application))


@router.get(
    "/card",
    response={200: CardOut, 401: ERRORS[401], 404: ERRORS[404]},
    auth=session_token,
    summary="电子会员卡",
    url_name="membership_card",
)
def card(request):
    """The member card with a fresh signed token (valid 24 hours); 404 when not a current member."""
    from django.conf import settings
    from django.urls import reverse

    member = selectors.my_membership(request.user).member
    if member is None or not member.is_current:
        raise Http404(_("您还不是工会会员，请先申请入会。"))
    token = services.card_token(member)
    issued = timezone.now()
    return {
        "name": member.real_name,
        "number": member.number,
        "union": member.union.name,
        "since": member.since,
        "token": token,
        "verify_url": settings.SITE_URL.rstrip("/") + reverse("membership:verify", args=[token]),
        "issued_at": issued,
        "expires_at": issued + services.CARD_MAX_AGE,
    }
