"""Reads of the activities app: the public list and page, the organiser's pages, metrics and
figures. Counts of places come from the roster's counters (one row per activity, joined), so
the list costs the same few queries however many activities and enrolments there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Prefetch, Q, Sum
from django.utils import timezone

from apps.accounts.roles import user_holds
from apps.core.models import Town
from apps.enrolment import selectors as engine_reads
from apps.enrolment.models import Attendance, Enrolment, Satisfaction
from apps.enrolment.rules import rule_check
from apps.enrolment.services import waiting_position

from .models import Activity, Kind, Session

ORGANISER_ROLE = "activity_organiser"


def _sessions_prefetch():
    return Prefetch(
        "sessions",
        queryset=Session.objects.select_related("occasion").order_by("occasion__starts_at", "pk"),
    )


@dataclass
class ListFilters:
    kind: str = ""
    town: int | None = None
    day: datetime.date | None = None
    for_me: bool = False


def activity_list(filters: ListFilters, *, user=None, today=None):
    """Published activities still to come, soonest first, with their roster and sessions."""
    today = today or timezone.localdate()
    qs = Activity.objects.upcoming(today).select_related("roster", "town", "organiser")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.town:
        qs = qs.filter(town_id=filters.town)
    if filters.day:
        qs = qs.filter(
            sessions__occasion__starts_at__date=filters.day, sessions__occasion__cancelled_at__isnull=True
        ).distinct()
    if filters.for_me and user is not None and user.is_authenticated:
        allowed = [audience for audience in Activity.Audience.values if rule_check(audience, user).ok]
        qs = qs.filter(audience__in=allowed)
    # Soonest first by the next session still to come (a course under way sorts by its next class).
    now = timezone.now()
    upcoming = Q(sessions__occasion__ends_at__gte=now, sessions__occasion__cancelled_at__isnull=True)
    qs = qs.annotate(next_start=Min("sessions__occasion__starts_at", filter=upcoming))
    return qs.prefetch_related(_sessions_prefetch()).order_by(F("next_start").asc(nulls_last=True), "pk")


def towns_with_activities(today=None):
    today = today or timezone.localdate()
    return Town.objects.filter(activities__in=Activity.objects.upcoming(today)).distinct().order_by("sort_order")


def place_label(activity: Activity) -> dict:
    """What a card says about places (剩余 N 个 / 候补 / 已满 / 不限名额 / 无需报名), and whether it is full."""
    from django.utils.translation import gettext as _

    roster = activity.roster
    if not activity.signup_required or roster is None:
        return {"text": _("无需报名"), "full": False}
    if roster.allocation == roster.Allocation.DRAW and roster.drawn_at is None:
        return {"text": _("%(places)s 个名额 · 截止后抽签") % {"places": roster.places}, "full": False}
    if roster.unlimited:
        return {"text": _("不限名额"), "full": False}
    if roster.places_left:
        return {"text": _("剩余 %(n)s 个名额") % {"n": roster.places_left}, "full": False}
    return {"text": _("候补") if roster.waiting_list else _("已满"), "full": True}


def next_session(activity: Activity, now=None):
    now = now or timezone.now()
    for session in activity.sessions.all():
        if session.occasion.cancelled_at is None and session.occasion.ends_at >= now:
            return session
    return None


def activity_for_page(pk: int) -> Activity:
    """One public activity with what its page shows (raises Activity.DoesNotExist)."""
    return (
        Activity.objects.public()
        .select_related("roster", "town", "organiser")
        .prefetch_related(_sessions_prefetch())
        .get(pk=pk)
    )


@dataclass
class MyPlace:
    enrolments: list = field(default_factory=list)
    position: int | None = None
    attended_sessions: int = 0
    rate_due: Enrolment | None = None

    @property
    def holding(self) -> bool:
        """True when one of the visitor's enrolments holds a place (their check-in code is useful)."""
        return any(enrolment.holds_place for enrolment in self.enrolments)


def my_place(user, activity: Activity) -> MyPlace:
    """The visitor's live enrolments on an activity, their waiting position and what is due."""
    found = MyPlace()
    if not user.is_authenticated or activity.roster_id is None:
        return found
    found.enrolments = list(
        Enrolment.objects.filter(person=user, roster_id=activity.roster_id, state__in=Enrolment.LIVE)
        .annotate(checkins=Count("attendances"))
        .order_by("pk")
    )
    for enrolment in found.enrolments:
        if enrolment.state == Enrolment.State.WAITING:
            found.position = waiting_position(enrolment)
        found.attended_sessions = max(found.attended_sessions, enrolment.checkins)
        if (
            enrolment.state == Enrolment.State.ATTENDED
            and not Satisfaction.objects.filter(enrolment=enrolment).exists()
        ):
            found.rate_due = enrolment
    return found


# --- Organisers -------------------------------------------------------------------------------


def may_manage(user, activity: Activity) -> bool:
    """Organisers manage their own department's activities; superusers all."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        user_holds(user, ORGANISER_ROLE) and user.employer_id is not None and user.employer_id == activity.organiser_id
    )


def managed_activities(user):
    """What an organiser may manage (their department's activities), newest first."""
    qs = Activity.objects.select_related("roster", "organiser").prefetch_related(_sessions_prefetch())
    if not user.is_superuser:
        qs = qs.filter(organiser_id=user.employer_id) if user.employer_id else qs.none()
    return qs.order_by("-starts_on", "-pk")


def roster_rows(activity: Activity):
    """The roster with states and check-ins per person (children included: organisers only)."""
    if activity.roster_id is None:
        return []
    return list(engine_reads.live_enrolments(activity.roster))


def session_attendance(activity: Activity) -> dict[int, int]:
    return engine_reads.attendance_counts([s.occasion_id for s in activity.sessions.all()])


def checkins_of(session: Session):
    return (
        Attendance.objects.filter(occasion_id=session.occasion_id)
        .select_related("enrolment__person")
        .order_by("-created_at")
    )


# --- Me ---------------------------------------------------------------------------------------


def my_activities(user, limit: int = 10):
    """A person's enrolments with their activity and its next session (children included)."""
    enrolments = list(
        Enrolment.objects.filter(person=user, roster__owner_type__app_label="activities")
        .exclude(state__in=(Enrolment.State.EXPIRED, Enrolment.State.DECLINED))
        .select_related("roster")
        .order_by("-created_at")[:limit]
    )
    activities = {
        a.roster_id: a
        for a in Activity.objects.filter(roster_id__in=[e.roster_id for e in enrolments]).prefetch_related(
            _sessions_prefetch()
        )
    }
    rated = set(Satisfaction.objects.filter(enrolment__in=enrolments).values_list("enrolment_id", flat=True))
    rows = []
    for enrolment in enrolments:
        activity = activities.get(enrolment.roster_id)
        if activity is None:
            continue
        rows.append(
            {
                "enrolment": enrolment,
                "activity": activity,
                "next": next_session(activity),
                "rate_due": enrolment.state == Enrolment.State.ATTENDED and enrolment.pk not in rated,
            }
        )
    return rows


# --- Metrics and figures ----------------------------------------------------------------------


def held_count(kind: str, year: int) -> int:
    """Activities of a kind held in a year (first session in that year) with attendance above zero."""
    attended = Q(sessions__head_count__gt=0) | Q(sessions__occasion__attendances__isnull=False)
    return (
        Activity.objects.filter(kind=kind, status=Activity.Status.HELD, starts_on__year=year)
        .filter(attended)
        .values("pk")
        .distinct()
        .count()
    )


def person_times(kind: str, year: int) -> int:
    """Check-ins plus recorded head counts at sessions of a kind held in a year (not cancelled)."""
    counted = ~Q(activity__status__in=(Activity.Status.CANCELLED, Activity.Status.DRAFT))
    sessions = Session.objects.filter(
        counted, activity__kind=kind, occasion__starts_at__year=year, occasion__cancelled_at__isnull=True
    )
    heads = sessions.aggregate(n=Sum("head_count"))["n"] or 0
    checkins = Attendance.objects.filter(occasion__activity_session__in=sessions).count()
    return heads + checkins


def year_figures(year: int) -> dict:
    """Everything the dashboard block shows for a year, in six queries."""
    held = dict.fromkeys(Kind.values, 0)
    attended = Q(sessions__head_count__gt=0) | Q(sessions__occasion__attendances__isnull=False)
    for row in (
        Activity.objects.filter(status=Activity.Status.HELD, starts_on__year=year)
        .filter(attended)
        .values("kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    ):
        held[row["kind"]] = row["n"]
    times = dict.fromkeys(Kind.values, 0)
    counted = ~Q(activity__status__in=(Activity.Status.CANCELLED, Activity.Status.DRAFT))
    sessions = Session.objects.filter(counted, occasion__starts_at__year=year, occasion__cancelled_at__isnull=True)
    for row in sessions.values("activity__kind").annotate(n=Sum("head_count")).order_by():
        times[row["activity__kind"]] += row["n"] or 0
    for row in (
        Attendance.objects.filter(occasion__activity_session__in=sessions)
        .values("occasion__activity_session__activity__kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        times[row["occasion__activity_session__activity__kind"]] += row["n"]
    rosters = Activity.objects.filter(starts_on__year=year, roster__isnull=False).values("roster_id")
    no_show, held_places = engine_reads.no_show_counts(rosters)
    satisfaction = Satisfaction.objects.filter(enrolment__roster_id__in=rosters).aggregate(
        count=Count("pk"), total=Sum("score")
    )
    today = timezone.localdate()
    month_end = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    upcoming = (
        Activity.objects.filter(status=Activity.Status.PUBLISHED, starts_on__gte=today, starts_on__lt=month_end).count()
        if year == today.year
        else None
    )
    return {
        "held": held,
        "times": times,
        "no_show": no_show,
        "held_places": held_places,
        "answers": satisfaction["count"] or 0,
        "score_total": satisfaction["total"] or 0,
        "upcoming": upcoming,
    }


def new_form_people(year: int) -> int:
    """Distinct people checked in at 新业态暖心服务 sessions held in a year (one of the counts
    behind item 10's 新业态服务; head counts without names cannot be told apart and are left out)."""
    counted = ~Q(occasion__activity_session__activity__status__in=(Activity.Status.CANCELLED, Activity.Status.DRAFT))
    return (
        Attendance.objects.filter(
            counted,
            occasion__activity_session__activity__kind=Kind.NEW_FORM,
            occasion__starts_at__year=year,
            occasion__cancelled_at__isnull=True,
        )
        .values("enrolment__person_id")
        .distinct()
        .count()
    )
