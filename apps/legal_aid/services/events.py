"""Legal events: places, the waiting list and check-in through the enrolment engine; held with a head count.

Each event's places are an :class:`apps.enrolment.models.Roster` owned by the event (made on
first use and kept in step with the event by :func:`event_roster`), with one occasion at the
event's time where registrants check in. Invitees (人大代表, 政协委员 …) have no accounts: their
presence stays on the event's invitee rows and counts towards the head count.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import user_holds
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, Enrolment, Occasion, Roster

from ..models import LegalEvent

# An event without an end time is taken to last two hours (its check-in window follows).
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def _roster_fields(event: LegalEvent) -> dict:
    return {
        "title": event.display_title[:200],
        "url": event.get_absolute_url(),
        # 0 public places: registration by invitation only (the engine reads 0 as "no limit").
        "is_open": event.status == LegalEvent.Status.OPEN and event.capacity > 0,
        "closes_at": event.starts_at,
    }


def event_roster(event: LegalEvent) -> Roster:
    """The event's roster and its one occasion, made on first use and kept in step with the event."""
    owner_type = ContentType.objects.get_for_model(LegalEvent)
    fields = _roster_fields(event)
    roster = Roster.objects.filter(owner_type=owner_type, owner_id=event.pk).first()
    if roster is None:
        try:
            with transaction.atomic():
                roster = engine.roster_create(owner=event, places=event.capacity, **fields)
        except (IntegrityError, ValidationError):
            # Made by a parallel request a moment ago.
            roster = Roster.objects.get(owner_type=owner_type, owner_id=event.pk)
    changed = [name for name, value in fields.items() if getattr(roster, name) != value]
    # Never below the places already held (the roster's check constraint).
    places = max(event.capacity, roster.taken) if event.capacity else roster.places
    if places != roster.places:
        changed.append("places")
    if changed:
        with transaction.atomic():
            locked = Roster.objects.select_for_update().get(pk=roster.pk)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.places = max(event.capacity, locked.taken) if event.capacity else locked.places
            locked.save(update_fields=[*fields, "places", "updated_at"])
            roster = locked
    ends_at = event.ends_at or event.starts_at + DEFAULT_LENGTH
    occasion = roster.occasions.order_by("pk").first()
    if occasion is None:
        engine.occasion_add(roster=roster, starts_at=event.starts_at, ends_at=ends_at, where=event.place[:200])
    elif (occasion.starts_at, occasion.ends_at, occasion.where) != (event.starts_at, ends_at, event.place[:200]):
        Occasion.objects.filter(pk=occasion.pk).update(
            starts_at=event.starts_at, ends_at=ends_at, where=event.place[:200], updated_at=timezone.now()
        )
    return roster


def event_enrolments(event: LegalEvent):
    """The event's enrolments (any state), for staff pages and reminders."""
    return Enrolment.objects.filter(
        roster__owner_type=ContentType.objects.get_for_model(LegalEvent), roster__owner_id=event.pk
    )


def event_register(*, event: LegalEvent, user) -> engine.SignupResult:
    """Register for an event: a place while there is one, else the waiting list.

    Registering again while registered returns the first registration (``created`` False): a
    double tap makes one."""
    if event.status != LegalEvent.Status.OPEN or event.starts_at <= timezone.now():
        raise ValidationError(_("该活动已不接受报名。"))
    if event.capacity <= 0:
        raise ValidationError(_("本活动不设公开报名，仅限受邀人员参加。"))
    roster = event_roster(event)
    return engine.signup(roster=roster, person=user)


def registration_cancel(*, registration: Enrolment, by) -> Enrolment:
    """Cancel a registration; a freed place is offered to the first on the waiting list at once."""
    if registration.person_id != by.pk and not user_holds(by, "legal_aid.change_legalevent"):
        raise ValidationError(_("只能取消自己的报名。"))
    reason = "" if registration.person_id == by.pk else _("法律服务工作人员取消")
    return engine.enrolment_cancel(enrolment=registration, by=by, reason=reason)


def registration_check_in(*, registration: Enrolment, by) -> Enrolment:
    """Staff check a registrant in from the event's roster page."""
    if not registration.holds_place or registration.state == Enrolment.State.OFFERED:
        raise ValidationError(_("只有报名成功的职工可以签到。"))
    occasion = registration.roster.occasions.order_by("pk").first()
    engine.checkin(occasion=occasion, person=registration.person, method=Attendance.Method.PHONE, by=by)
    registration.refresh_from_db()
    return registration


def event_mark_held(*, event: LegalEvent, by, head_count: int | None = None) -> LegalEvent:
    """Close an event as held with its head count (checked-in registrants plus invitees present by default)."""
    if event.status == LegalEvent.Status.CANCELLED:
        raise ValidationError(_("已取消的活动不能登记为已举办。"))
    if event.starts_at > timezone.now():
        raise ValidationError(_("活动开始后才能登记为已举办。"))
    if head_count is None:
        checked_in = Attendance.objects.filter(enrolment__in=event_enrolments(event)).count()
        head_count = checked_in + event.invitees.filter(attended=True).count()
    event.head_count = head_count
    event.status = LegalEvent.Status.HELD
    event.full_clean()
    event.save(update_fields=["head_count", "status", "updated_at"])
    event_roster(event)  # registration closes with the event
    return event
