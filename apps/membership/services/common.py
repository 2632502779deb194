"""What the membership services share: deadlines, who may decide for a union, telling staff."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from apps.accounts.roles import user_holds
from apps.core.models import UnionStaff
from apps.core.workdays import add_working_days


def decision_days() -> int:
    """Working days a union has to decide an application or a transfer (``MEMBERSHIP_DECISION_DAYS``)."""
    return int(getattr(settings, "MEMBERSHIP_DECISION_DAYS", 3))


def setup_days() -> int:
    """Working days a town union has to take up a 建会 request (``MEMBERSHIP_SETUP_DAYS``)."""
    return int(getattr(settings, "MEMBERSHIP_SETUP_DAYS", 5))


def due_from(moment, days: int):
    return add_working_days(timezone.localtime(moment).date(), days)


def is_officer(user) -> bool:
    """The membership officer (基层工作部) works on every union."""
    return user_holds(user, "membership_officer")


def staffed_union_ids(user) -> list[int]:
    """The unions a person staffs (kept on the user object for the request: the queue, its badge
    and the guards all ask)."""
    found = getattr(user, "_staffed_union_ids", None)
    if found is None:
        found = list(UnionStaff.objects.filter(user=user).values_list("union_id", flat=True))
        user._staffed_union_ids = found
    return found


def may_decide_for(user, union_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_officer(user) or (user_holds(user, "union_staff") and union_id in staffed_union_ids(user))
