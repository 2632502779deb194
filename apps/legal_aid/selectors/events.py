"""Legal events: upcoming, the archive and an event page with its counts."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.enrolment.models import Enrolment, Roster

from ..models import EventInvitee, LegalEvent

_EVENT_LIST_FIELDS = ("pk", "kind", "series_number", "title", "starts_at", "place", "capacity", "is_demo")


def _roster_of_event():
    return Roster.objects.filter(owner_type=ContentType.objects.get_for_model(LegalEvent), owner_id=OuterRef("pk"))


def events_upcoming(limit: int | None = None):
    qs = (
        LegalEvent.objects.filter(status=LegalEvent.Status.OPEN, starts_at__gt=timezone.now())
        .only(*_EVENT_LIST_FIELDS)
        .annotate(confirmed=Coalesce(Subquery(_roster_of_event().values("taken")[:1]), 0, output_field=IntegerField()))
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
    """A published event with its places taken and waiting (kept on the event's roster), its
    invitees counted by category and, for a signed-in visitor, their own live registration
    (``my_registration`` with ``_id``/``_status``/``_label``).
    """
    event = LegalEvent.objects.published().get(pk=pk)
    roster = (
        Roster.objects.filter(owner_type=ContentType.objects.get_for_model(LegalEvent), owner_id=event.pk)
        .only("pk", "taken", "waiting")
        .first()
    )
    event.confirmed = roster.taken if roster else 0
    event.waiting = roster.waiting if roster else 0
    mine = None
    if roster is not None and user is not None and user.is_authenticated:
        mine = Enrolment.objects.filter(roster=roster, person=user, state__in=Enrolment.LIVE).first()
    event.my_registration = mine
    event.my_registration_id = mine.pk if mine else None
    event.my_registration_status = mine.state if mine else ""
    event.my_registration_label = mine.get_state_display() if mine else ""
    invitees = dict(
        EventInvitee.objects.filter(event_id=event.pk).order_by().values_list("category").annotate(n=Count("pk"))
    )
    event.invitee_groups = [
        (label, invitees[code]) for code, label in sorted(EventInvitee.Category.choices) if invitees.get(code)
    ]
    return event
