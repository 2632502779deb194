"""What the assistance services share: who works a case, the 公示 window, the timeline line."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from apps.accounts.roles import user_holds
from apps.core.audit import audit_record
from apps.core.models import AuditEntry, UnionStaff
from apps.core.workdays import add_working_days, is_working_day
from apps.reminders.services import notify_all

from ..models import Event, HelpRequest

OFFICER = "assistance_officer"
MANAGE = "assistance.manage_requests"


def publicity_days() -> int:
    """Working days a 公示 runs (``ASSISTANCE_PUBLICITY_DAYS``, 5)."""
    return int(getattr(settings, "ASSISTANCE_PUBLICITY_DAYS", 5))


def retention_days() -> int:
    """Days a closed case is kept before it is anonymised (``ASSISTANCE_RETENTION_DAYS``)."""
    return int(getattr(settings, "ASSISTANCE_RETENTION_DAYS", 365 * 5))


def publicity_window(today):
    """(first day, last day) of a 公示 opened ``today``: 5 working days on the shared calendar."""
    first = today if is_working_day(today) else add_working_days(today, 1)
    return first, add_working_days(first, publicity_days() - 1)


def is_officer(user) -> bool:
    return getattr(user, "is_authenticated", False) and user_holds(user, MANAGE)


def staffed_union_ids(user) -> list[int]:
    found = getattr(user, "_assistance_union_ids", None)
    if found is None:
        found = list(UnionStaff.objects.filter(user=user).values_list("union_id", flat=True))
        user._assistance_union_ids = found
    return found


def is_caseworker(user, request: HelpRequest) -> bool:
    """Union staff of the applicant's union (officers work every case)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_officer(user) or (request.union_id is not None and request.union_id in staffed_union_ids(user))


def caseworkers(request: HelpRequest):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, union_staff_posts__union_id=request.union_id).distinct()


def log(request: HelpRequest, *, actor, note: str = "", action: str = AuditEntry.Action.CHANGE, tell: bool = True):
    """One line on the case timeline and in the audit log; the applicant is told of the new state."""
    event = Event.objects.create(request=request, state=request.state, actor=actor, note=note[:300])
    audit_record(actor=actor, action=action, obj=request, detail=f"{request.get_state_display()} {note}".strip())
    if tell and request.state != HelpRequest.State.DRAFT:
        notify_all(
            [request.applicant_id],
            kind="assistance.progress",
            key=f"assistance.progress:{request.pk}:{event.pk}",
            title=_("您的帮扶申请：%(state)s") % {"state": request.get_state_display()},
            body=note,
            url=request.get_absolute_url(),
        )
    return event
