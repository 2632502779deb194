"""Reads of the enrolment engine for other apps: counts per roster, a person's enrolments,
attendance per occasion. The numbers behind every linked indicator and dashboard figure."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q

from .models import Attendance, Enrolment, Occasion, Roster

State = Enrolment.State


def state_counts(roster_ids) -> dict[int, Counter]:
    """roster id -> Counter of enrolments per state (one query)."""
    found: dict[int, Counter] = {}
    rows = (
        Enrolment.objects.filter(roster_id__in=list(roster_ids))
        .values_list("roster_id", "state")
        .annotate(n=Count("pk"))
    )
    for roster_id, state, n in rows.order_by():
        found.setdefault(roster_id, Counter())[state] = n
    return found


def live_enrolments(roster: Roster):
    """Everyone with a live enrolment on a roster, for its organisers (children included)."""
    return (
        Enrolment.objects.filter(roster=roster, state__in=Enrolment.LIVE)
        .select_related("person", "priority_group", "nominated_by")
        .annotate(checkins=Count("attendances"))
        .order_by("state", "draw_number", "queued_at", "pk")
    )


def enrolments_of(person, roster_ids=None):
    """A person's enrolments, newest first (optionally on some rosters)."""
    qs = Enrolment.objects.filter(person=person).select_related("roster")
    if roster_ids is not None:
        qs = qs.filter(roster_id__in=list(roster_ids))
    return qs.order_by("-created_at")


def my_live_enrolment(person, roster: Roster) -> list[Enrolment]:
    if not getattr(person, "is_authenticated", False):
        return []
    return list(Enrolment.objects.filter(person=person, roster=roster).filter(state__in=Enrolment.LIVE).order_by("pk"))


def attendance_counts(occasion_ids) -> dict[int, int]:
    """occasion id -> check-ins (one query)."""
    rows = (
        Attendance.objects.filter(occasion_id__in=list(occasion_ids)).values_list("occasion_id").annotate(n=Count("pk"))
    )
    return dict(rows.order_by())


def attendances_per_person(roster: Roster) -> dict[int, int]:
    """enrolment id -> occasions attended (a course counts as completed at N of M)."""
    rows = Attendance.objects.filter(enrolment__roster=roster).values_list("enrolment_id").annotate(n=Count("pk"))
    return dict(rows.order_by())


def occasions_of(roster_ids):
    return Occasion.objects.filter(roster_id__in=list(roster_ids)).order_by("starts_at")


def no_show_counts(roster_ids) -> tuple[int, int]:
    """(no-shows, people who held a place and the event has been held: attended + no-show)."""
    row = Enrolment.objects.filter(roster_id__in=roster_ids).aggregate(
        no_show=Count("pk", filter=Q(state=State.NO_SHOW)),
        held=Count("pk", filter=Q(state__in=(State.ATTENDED, State.NO_SHOW), walk_in=False)),
    )
    return row["no_show"], row["held"]
