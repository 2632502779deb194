"""What legal aid puts on the home page and on /me/."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.roles import user_holds
from apps.enrolment.models import Enrolment

from ..models import Consultation, DisputeCase, LegalEvent, StationMember
from .events import events_upcoming
from .records import lawyer_queue, mediator_cases
from .rota import lawyer_shifts


def home_panel_context() -> dict:
    """The next three legal events for the home page."""
    return {"events": events_upcoming(limit=3)}


def me_panel_context(user) -> dict | None:
    """A person's own records, and their work as lawyer, mediator or station staff; None when there is nothing."""
    if not user.is_authenticated:
        return None
    context = my_records(user)
    # Superusers hold every role but have no shifts or mediations of their own.
    if user_holds(user, "lawyer") and not user.is_superuser:
        today = timezone.localdate()
        context["shifts"] = [s for s in lawyer_shifts(user) if s.date >= today][:5]
        context["queue"] = list(lawyer_queue(user)[:5])
    context["staff_of"] = list(
        StationMember.objects.current().filter(user=user).select_related("station").order_by("station__name")
    )
    if user_holds(user, "mediator") and not user.is_superuser:
        context["mediated"] = list(mediator_cases(user)[:5])
    return context if any(context.values()) else None


def my_records(user) -> dict:
    """A worker's own consultations, cases and event registrations for /me/."""
    consultations = list(
        Consultation.objects.filter(worker=user).select_related("station", "shift").order_by("-created_at")[:10]
    )
    cases = list(
        DisputeCase.objects.filter(applicants__user=user)
        .distinct()
        .select_related("station")
        .order_by("-applied_on")[:10]
    )
    recent = timezone.now() - datetime.timedelta(days=30)
    enrolments = {
        e.roster.owner_id: e
        for e in Enrolment.objects.filter(
            person=user,
            state__in=Enrolment.LIVE,
            roster__owner_type=ContentType.objects.get_for_model(LegalEvent),
        ).select_related("roster")
    }
    registrations = []
    if enrolments:
        for event in LegalEvent.objects.filter(pk__in=enrolments, starts_at__gte=recent).order_by("starts_at")[:10]:
            enrolment = enrolments[event.pk]
            enrolment.event = event
            registrations.append(enrolment)
    return {"consultations": consultations, "cases": cases, "registrations": registrations}
