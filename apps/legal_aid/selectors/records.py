"""Private records as their handlers see them: queues, one record with its parts, a worker's own."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from ..models import OPEN_STATES, CaseEvent, Consultation, DisputeCase
from .access import cases_visible, consultations_visible


def triage_queue(now=None):
    """Open consultations, overdue first, then oldest first."""
    now = now or timezone.now()
    return (
        Consultation.objects.open()
        .select_related("station", "lawyer__user")
        .annotate(
            late=Case(
                When(first_response_at__isnull=True, due_at__lt=now, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("late", "created_at", "pk")
    )


def triage_count(user) -> int | None:
    if not user.is_authenticated:
        return None
    return Consultation.objects.filter(status=Consultation.Status.SUBMITTED).count() or None


def lawyer_queue(user):
    return (
        Consultation.objects.filter(lawyer__user=user)
        .filter(Q(status__in=OPEN_STATES) | Q(status=Consultation.Status.ANSWERED))
        .select_related("station", "shift")
        .order_by("due_at", "pk")
    )


def mediator_cases(user):
    return (
        DisputeCase.objects.filter(mediators=user)
        .exclude(stage=DisputeCase.Stage.CLOSED)
        .select_related("station")
        .order_by("applied_on", "pk")
    )


def consultations_with_parts(user) -> QuerySet[Consultation]:
    """The consultations this person may see, with what the consultation page shows of each."""
    return (
        consultations_visible(user)
        .select_related("station", "lawyer__user", "lawyer__firm", "worker", "shift", "employer")
        .prefetch_related("attachments", "callbacks", "conflict_checks__person")
    )


def cases_with_parts(user) -> QuerySet[DisputeCase]:
    """The cases this person may see, with what the case page shows of each."""
    return (
        cases_visible(user)
        .select_related("station", "lawyer__user", "source_consultation")
        .prefetch_related(
            "applicants",
            "mediators",
            "sessions",
            "documents",
            "conflict_checks__person",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        )
    )
