"""Reads of the assistance app: who sees which case (one visible queryset, used by pages, files,
the admin and the API), the queue, the 公示, the worker's panel and the leaders' aggregates."""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from .models import OPEN_STATES, SCHEME_STATES, Document, Event, HelpRequest, LedgerEntry, Objection
from .services.common import is_officer, staffed_union_ids

State = HelpRequest.State


def requests_visible(user):
    """The applicant's own (and what they filed), their union staff's non-drafts, all for officers."""
    if not getattr(user, "is_authenticated", False):
        return HelpRequest.objects.none()
    if is_officer(user):
        return HelpRequest.objects.all()
    return HelpRequest.objects.filter(
        Q(applicant=user) | Q(filed_by=user) | (Q(union_id__in=staffed_union_ids(user)) & ~Q(state=State.DRAFT))
    )


def documents_visible(user):
    return Document.objects.filter(request__in=requests_visible(user).values("pk"))


def objections_visible(user):
    """Objections to a 公示: officers only."""
    if not is_officer(user):
        return Objection.objects.none()
    return Objection.objects.all()


def my_requests(user):
    if not getattr(user, "is_authenticated", False):
        return HelpRequest.objects.none()
    return (
        HelpRequest.objects.filter(Q(applicant=user) | Q(filed_by=user)).select_related("union").order_by("-created_at")
    )


def queue(user, *, state: str = "", today=None):
    """Cases the person works: overdue re-checks first, then what waits longest for its next step."""
    today = today or timezone.localdate()
    found = requests_visible(user).exclude(state=State.DRAFT)
    if not is_officer(user):
        found = found.filter(union_id__in=staffed_union_ids(user))
    if state:
        found = found.filter(state=state)
    else:
        found = found.filter(state__in=(*OPEN_STATES, *SCHEME_STATES))
    overdue = Q(state__in=SCHEME_STATES, recheck_due_on__lt=today)
    return (
        found.select_related("union", "town")
        .annotate(
            overdue_first=Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()),
            open_first=Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .order_by("overdue_first", "open_first", "recheck_due_on", "submitted_at", "pk")
    )


def queue_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    if not is_officer(user) and not staffed_union_ids(user):
        return 0
    today = timezone.localdate()
    return (
        queue(user, today=today)
        .filter(Q(state__in=OPEN_STATES) | Q(recheck_due_on__lt=today))
        .exclude(state=State.PUBLICITY, publicity_until__gte=today)
        .count()
    )


def publicity_entries(today=None):
    """What the public page shows: masked name, town, band and kind of help, during the 5 days only."""
    return (
        HelpRequest.objects.in_publicity(today)
        .select_related("town")
        .only("pk", "applicant_name", "town__name", "band", "help_kind", "publicity_from", "publicity_until", "is_demo")
        .order_by("publicity_until", "pk")
    )


def timeline(request: HelpRequest):
    return list(Event.objects.filter(request=request).select_related("actor").order_by("at", "pk"))


def ledger_rows(request: HelpRequest):
    rows = list(LedgerEntry.objects.filter(request=request).order_by("date", "pk"))
    reversed_ids = {row.reverses_id for row in rows if row.reverses_id}
    for row in rows:
        row.is_reversed = row.pk in reversed_ids
    return rows


def ledger_total(request: HelpRequest) -> Decimal:
    return LedgerEntry.objects.filter(request=request).aggregate(n=Sum("amount"))["n"] or Decimal("0")


# --- Figures (aggregates only: never a name or a reason) ---------------------------------------


def _year_range(year: int):
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def figures(year: int, *, today=None) -> dict:
    """Every number of the dashboard block, four queries whatever the data."""
    today = today or timezone.localdate()
    start, end = _year_range(year)
    submitted = HelpRequest.objects.exclude(state=State.DRAFT).filter(submitted_at__gte=start, submitted_at__lt=end)
    by_state = dict(submitted.order_by().values_list("state").annotate(n=Count("pk")))
    decided = HelpRequest.objects.filter(decided_at__gte=start, decided_at__lt=end).values_list(
        "state", "band", "submitted_at", "decided_at"
    )
    by_band, days = {}, []
    for state, band, submitted_at, decided_at in decided:
        if band and state in (*SCHEME_STATES, State.CLOSED):
            by_band[band] = by_band.get(band, 0) + 1
        if submitted_at is not None:
            days.append((timezone.localtime(decided_at).date() - timezone.localtime(submitted_at).date()).days)
    reversal = Q(kind=LedgerEntry.Kind.REVERSAL)
    given = LedgerEntry.objects.filter(date__year=year).aggregate(
        amount=Sum("amount"), count=Count("pk", filter=~reversal), reversed=Count("pk", filter=reversal)
    )
    reversed_count = given["reversed"] or 0
    scheme = HelpRequest.objects.in_scheme().aggregate(
        families=Count("pk"), overdue=Count("pk", filter=Q(recheck_due_on__lt=today))
    )
    return {
        "by_state": by_state,
        "by_band": by_band,
        "help_count": max((given["count"] or 0) - reversed_count, 0),
        "help_amount": given["amount"] or Decimal("0"),
        "median_days": float(statistics.median(days)) if days else None,
        "families": scheme["families"],
        "overdue": scheme["overdue"],
        "submitted": sum(by_state.values()),
    }
