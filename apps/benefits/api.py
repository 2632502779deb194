"""Benefits through ``/api/v1/benefits/``: this year's programmes and one programme (anonymous
reads; a signed-in worker also gets what they may do and why), applying, confirming an offer,
booking a slot, cancelling, and the worker's own applications. Anyone else's application is
404, as on the pages. Everything calls the pages' selectors and services."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from apps.accounts.roles import object_or_404
from apps.core.api import ERRORS, public_read, session_token

from . import selectors, services
from .models import Application, Programme, Slot

router = Router(tags=["benefits"])


class ProgrammeOut(Schema):
    id: int
    year: int
    kind: str
    kind_label: str
    name: str
    places: int
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    channel: str
    allocation: str
    status: str
    reason: str
    url: str


class ApplicationOut(Schema):
    id: int
    reference: str
    programme: int
    programme_name: str
    state: str
    state_label: str
    draw_number: int | None
    offer_expires_at: datetime.datetime | None
    slot: str
    message: str = ""


class ApplyIn(Schema):
    consent: bool = False
    health_consent: bool = False


class BookIn(Schema):
    slot: int | None = None


def _programme(card: selectors.Card) -> dict:
    p = card.programme
    return {
        "id": p.pk,
        "year": p.year,
        "kind": p.kind,
        "kind_label": str(p.get_kind_display()),
        "name": p.name,
        "places": p.roster.places,
        "opens_at": p.roster.opens_at,
        "closes_at": p.roster.closes_at,
        "channel": p.channel,
        "allocation": p.roster.allocation,
        "status": card.status,
        "reason": card.verdict.reason if card.verdict and not card.verdict.ok else "",
        "url": p.get_absolute_url(),
    }


def _application(a: Application, message: str = "") -> dict:
    e = a.enrolment
    return {
        "id": a.pk,
        "reference": a.reference,
        "programme": a.programme_id,
        "programme_name": a.programme.name,
        "state": e.state,
        "state_label": str(e.get_state_display()),
        "draw_number": e.draw_number,
        "offer_expires_at": e.offer_expires_at,
        "slot": str(a.slot or ""),
        "message": message,
    }


def _year(year):
    today = timezone.localdate().year
    if year is not None and not 2000 <= year <= today + 1:
        raise ValidationError({"year": [_("年份超出范围。")]}, code="bad_year")
    return year or today


@router.get(
    "/programmes",
    response={200: list[ProgrammeOut], 422: ERRORS[422]},
    summary="本年度普惠项目",
    url_name="benefits_programmes",
)
@public_read
def programme_list(request, year: int | None = None):
    """A year's published programmes (this year by default), the same for everyone."""
    return [_programme(card) for card in selectors.catalogue(None, _year(year))]


@router.get(
    "/programmes/{pk}",
    response={200: ProgrammeOut, 404: ERRORS[404]},
    summary="普惠项目详情",
    url_name="benefits_programme",
)
@public_read
def programme_detail(request, pk: int):
    programme = _get(pk)
    return _programme(selectors.Card(programme, ""))


@router.get(
    "/eligibility",
    response={200: list[ProgrammeOut], 401: ERRORS[401], 422: ERRORS[422]},
    auth=session_token,
    summary="我能申请哪些普惠项目",
    url_name="benefits_eligibility",
)
def eligibility(request, year: int | None = None):
    """For the signed-in worker: 可申请 (open), 不符合 (ineligible, with the reason in plain
    Chinese), 已申请 (applied), 由基层工会推荐 (nominated) or not in the window (closed)."""
    return [_programme(card) for card in selectors.catalogue(request.user, _year(year))]


def _get(pk: int) -> Programme:
    try:
        return selectors.programme_for_page(pk)
    except Programme.DoesNotExist:
        raise Http404 from None


@router.post(
    "/programmes/{pk}/apply",
    response={201: ApplicationOut, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    auth=session_token,
    summary="申请普惠项目",
    url_name="benefits_apply",
)
def apply(request, pk: int, payload: ApplyIn):
    """Apply in person (the rules, the window, one place per person; health data needs its own consent)."""
    application = services.apply(
        programme=_get(pk), person=request.user, consent=payload.consent, health_consent=payload.health_consent
    )
    return Status(201, _application(application, _("已提交申请。")))


def _mine(request, pk: int) -> Application:
    mine = Application.objects.filter(person=request.user).select_related("programme__roster", "enrolment", "slot")
    return object_or_404(mine, pk=pk)


@router.get(
    "/applications",
    response={200: list[ApplicationOut], 401: ERRORS[401]},
    auth=session_token,
    summary="我的普惠申请",
    url_name="benefits_applications",
)
def my_applications(request):
    return [_application(a) for a in selectors.my_benefits(request.user)]


@router.get(
    "/applications/{pk}",
    response={200: ApplicationOut, 401: ERRORS[401], 404: ERRORS[404]},
    auth=session_token,
    summary="一条普惠申请",
    url_name="benefits_application",
)
def application_detail(request, pk: int):
    """The person's own application (anyone else's is 404)."""
    return _application(_mine(request, pk))


@router.post(
    "/applications/{pk}/{action}",
    response={200: ApplicationOut, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    auth=session_token,
    summary="确认、放弃、取消或预约",
    url_name="benefits_application_action",
)
def application_action(request, pk: int, action: str, payload: BookIn | None = None):
    """``confirm`` / ``decline`` an offer, ``cancel``, or ``book`` a slot (body ``{"slot": id}``)."""
    application = _mine(request, pk)
    if action == "confirm":
        services.offer_confirm(application=application)
    elif action == "decline":
        services.offer_decline(application=application)
    elif action == "cancel":
        services.application_cancel(application=application, by=request.user)
    elif action == "book":
        if payload is None or payload.slot is None:
            raise ValidationError({"slot": [_("请选择一个预约时段。")]})
        slot = object_or_404(Slot.objects.filter(programme=application.programme), pk=payload.slot)
        services.book(application=application, slot=slot)
    else:
        raise Http404
    application.refresh_from_db()
    return _application(application)
