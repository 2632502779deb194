"""Reads of the membership app: what a worker sees of their own, the union queues, the roll,
and the figures (each with its one definition)."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import NEW_FORM_OCCUPATIONS
from apps.core.models import Organization
from apps.core.workdays import working_days_between

from .models import Application, LedgerEntry, Member, Transfer, UnionSetupRequest
from .services.common import is_officer, staffed_union_ids


def unions():
    return Organization.objects.filter(kind=Organization.Kind.UNION).exclude(
        union_level=Organization.UnionLevel.DEPARTMENT
    )


def decidable_union_ids(user) -> list[int] | None:
    """None: every union (the officer); else the unions the person staffs."""
    if is_officer(user):
        return None
    return staffed_union_ids(user)


def _narrow(queryset, user, field_name: str):
    ids = decidable_union_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{field_name}__in": ids})


def applications_visible(user):
    """Applications a staff member may open: their unions' (all of them for the officer)."""
    return _narrow(Application.objects.select_related("union", "town", "employer", "person"), user, "union_id")


def transfers_visible(user):
    """Transfers into or out of the person's unions."""
    queryset = Transfer.objects.select_related("member", "from_union", "to_union", "town", "new_employer")
    ids = decidable_union_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(to_union_id__in=ids) | Q(from_union_id__in=ids))


def members_visible(user):
    return _narrow(Member.objects.select_related("union", "town", "employer"), user, "union_id")


def setup_requests_visible(user):
    return _narrow(UnionSetupRequest.objects.select_related("town", "town_union"), user, "town_union_id")


def queue(user, *, union_id: int | None = None):
    """Open applications the person decides, overdue first (the earliest deadline leads)."""
    found = applications_visible(user).open()
    if union_id:
        found = found.filter(union_id=union_id)
    return found.overdue_first()


def transfers_waiting(user):
    """Transfers the person's unions are to accept."""
    found = Transfer.objects.select_related("member", "from_union", "to_union", "town", "new_employer").filter(
        state=Transfer.State.REQUESTED
    )
    ids = decidable_union_ids(user)
    if ids is not None:
        found = found.filter(to_union_id__in=ids)
    return found.order_by("due_on", "pk")


def queue_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return queue(user).count() + transfers_waiting(user).count()


def member_search(user, *, q: str = "", union_id: int | None = None, state: str = ""):
    found = members_visible(user)
    if q:
        found = found.filter(Q(real_name__contains=q) | Q(number__icontains=q) | Q(phone__contains=q))
    if union_id:
        found = found.filter(union_id=union_id)
    if state:
        found = found.filter(state=state)
    return found.order_by("union__name", "number")


@dataclass
class MyMembership:
    member: Member | None = None
    application: Application | None = None
    ledger: list = field(default_factory=list)
    transfer: Transfer | None = None

    def __bool__(self):
        return self.member is not None or self.application is not None


def my_membership(user) -> MyMembership:
    """A person's own membership, latest application, open transfer and ledger."""
    found = MyMembership()
    found.member = Member.objects.select_related("union", "employer", "town").filter(person=user).first()
    found.application = (
        Application.objects.select_related("union", "employer", "town")
        .filter(person=user)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if found.member is not None:
        found.ledger = list(
            LedgerEntry.objects.filter(member=found.member)
            .select_related("from_union", "to_union")
            .order_by("at", "pk")
        )
        found.transfer = (
            Transfer.objects.select_related("to_union", "from_union")
            .filter(member=found.member)
            .order_by("-requested_at", "-pk")
            .first()
        )
    return found


# --- Figures ---------------------------------------------------------------------------------


def _year_range(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def members_current_count() -> int:
    return Member.objects.current().count()


def members_by(field_name: str, label_field: str | None = None) -> list[tuple[str, int]]:
    """Current members counted by union, occupation or town (largest first)."""
    rows = (
        Member.objects.current()
        .values(field_name, *([label_field] if label_field else []))
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [(row[label_field] if label_field else row[field_name], row["n"]) for row in rows]


def joined_in_year(year: int, *, new_form_only: bool = False) -> int:
    """People who became members in the year (joined or rejoined through the portal or an import)."""
    start, end = _year_range(year)
    entries = LedgerEntry.objects.filter(
        kind__in=[LedgerEntry.Kind.JOINED, LedgerEntry.Kind.REJOINED], at__gte=start, at__lt=end
    )
    if new_form_only:
        entries = entries.filter(member__occupation__in=list(NEW_FORM_OCCUPATIONS))
    return entries.values("member_id").distinct().count()


def decisions_in_year(year: int) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
    """(submitted, due, decided) local dates of applications decided in the year."""
    start, end = _year_range(year)
    rows = Application.objects.filter(decided_at__gte=start, decided_at__lt=end).values_list(
        "submitted_at", "due_on", "decided_at"
    )
    return [(timezone.localtime(s).date(), due, timezone.localtime(d).date()) for s, due, d in rows]


def decided_within_deadline(year: int) -> tuple[int, int]:
    """(decided by the due date, decided) for applications decided in the year."""
    rows = decisions_in_year(year)
    return sum(1 for _s, due, decided in rows if decided <= due), len(rows)


def median_days_to_decision(year: int) -> float | None:
    """Median working days from submission to decision, over applications decided in the year."""
    rows = decisions_in_year(year)
    if not rows:
        return None
    return float(statistics.median(working_days_between(s, d) for s, _due, d in rows))


def setup_requests_by_state(year: int) -> list[tuple[str, int]]:
    start, end = _year_range(year)
    counts = dict(
        UnionSetupRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in UnionSetupRequest.State.choices]


def metric_new_form_joined(year: int) -> int:
    """Item 10: new-form workers who joined a union in the year (distinct people)."""
    return joined_in_year(year, new_form_only=True)


def overdue_open_count() -> int:
    return Application.objects.open().filter(due_on__lt=timezone.localdate()).count()
