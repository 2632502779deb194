"""Legal events: upcoming, the archive and an event page with its counts."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.utils import timezone

from ..models import EventInvitee, LegalEvent, Registration

_EVENT_LIST_FIELDS = ("pk", "kind", "series_number", "title", "starts_at", "place", "capacity", "is_demo")


def events_upcoming(limit: int | None = None):
    qs = (
        LegalEvent.objects.filter(status=LegalEvent.Status.OPEN, starts_at__gt=timezone.now())
        .only(*_EVENT_LIST_FIELDS)
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


def event_detail(pk: int, user=None) -> LegalEvent:
    """A published event with its registration counts, its invitees counted by category and,
    for a signed-in visitor, their own live registration (``my_registration_id``/``_label``).

    Three plain queries: cheaper to build than one query of correlated subqueries.
    """
    event = LegalEvent.objects.published().get(pk=pk)
    counts = {
        "confirmed": Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        "waiting": Count("pk", filter=Q(status=Registration.Status.WAITING)),
    }
    if user is not None and user.is_authenticated:
        mine = Q(user=user) & ~Q(status=Registration.Status.CANCELLED)
        counts["mine"] = Max("pk", filter=mine)
        counts["mine_status"] = Max("status", filter=mine)
    figures = Registration.objects.filter(event_id=event.pk).aggregate(**counts)
    event.confirmed, event.waiting = figures["confirmed"], figures["waiting"]
    event.my_registration_id = figures.get("mine")
    status = figures.get("mine_status")
    event.my_registration_label = Registration.Status(status).label if status else ""
    invitees = dict(
        EventInvitee.objects.filter(event_id=event.pk).order_by().values_list("category").annotate(n=Count("pk"))
    )
    event.invitee_groups = [
        (label, invitees[code]) for code, label in sorted(EventInvitee.Category.choices) if invitees.get(code)
    ]
    return event
