"""Help requests through ``/api/v1/assistance/``: the signed-in worker's own requests only (what
they asked, the state, the timeline and what was given). Anyone else's request is 404, as on
the page; staff work cases on the pages, never here. Every read is in the audit log."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema

from apps.accounts.roles import object_or_404
from apps.core.api import ERRORS, session_token
from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from . import selectors

router = Router(tags=["assistance"])


class EventOut(Schema):
    at: datetime.datetime
    state: str
    state_label: str
    note: str


class HelpOut(Schema):
    date: datetime.date
    kind: str
    kind_label: str
    amount: Decimal
    description: str


class RequestOut(Schema):
    id: int
    state: str
    state_label: str
    reason: str
    asked_help: str
    submitted_at: datetime.datetime | None
    publicity_until: datetime.date | None
    band: str
    return_reason: str
    refuse_reason: str
    recheck_due_on: datetime.date | None
    url: str


class RequestDetailOut(RequestOut):
    timeline: list[EventOut]
    help_given: list[HelpOut]


def _out(hr) -> dict:
    return {
        "id": hr.pk,
        "state": hr.state,
        "state_label": hr.get_state_display(),
        "reason": hr.reason,
        "asked_help": hr.asked_help,
        "submitted_at": hr.submitted_at,
        "publicity_until": hr.publicity_until,
        "band": hr.band,
        "return_reason": hr.return_reason,
        "refuse_reason": hr.refuse_reason,
        "recheck_due_on": hr.recheck_due_on,
        "url": hr.get_absolute_url(),
    }


@router.get(
    "/requests",
    response={200: list[RequestOut], 401: ERRORS[401]},
    auth=session_token,
    summary="我的帮扶申请",
    url_name="assistance_my_requests",
)
def my_requests(request):
    """The worker's own requests (drafts included), newest first."""
    return [_out(hr) for hr in selectors.my_requests(request.user)[:50]]


@router.get(
    "/requests/{request_id}",
    response={200: RequestDetailOut, 401: ERRORS[401], 404: ERRORS[404]},
    auth=session_token,
    summary="我的一份帮扶申请",
    url_name="assistance_my_request",
)
def my_request(request, request_id: int):
    """One of the worker's own requests with its timeline and the help given (others: 404)."""
    hr = object_or_404(selectors.my_requests(request.user), pk=request_id)
    audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=hr, detail=_("接口查看"))
    body = _out(hr)
    body["timeline"] = [
        {"at": e.at, "state": e.state, "state_label": e.get_state_display(), "note": e.note}
        for e in selectors.timeline(hr)
    ]
    body["help_given"] = [
        {
            "date": r.date,
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "amount": r.amount,
            "description": r.description,
        }
        for r in selectors.ledger_rows(hr)
    ]
    return body
