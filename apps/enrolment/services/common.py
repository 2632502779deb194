"""What the enrolment services share: the roster lock, the counters, offers to the people waiting."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.reminders.services import notify_all

from ..models import Enrolment, Occasion, Roster

State = Enrolment.State

# No place is offered this close to the start: the waiting list is told places go first come
# at the door instead (a setting, hours).
OFFER_CUTOFF_HOURS = getattr(settings, "ENROLMENT_OFFER_CUTOFF_HOURS", 2)
# Offers are not sent at night: the holding time starts when the notice can be read.
QUIET_HOURS = getattr(settings, "ENROLMENT_QUIET_HOURS", (22, 7))
# A check-in is accepted from this long before an occasion starts until this long after it ends.
CHECKIN_EARLY = datetime.timedelta(hours=2)
CHECKIN_LATE = datetime.timedelta(hours=1)

DOOR_SALT = "enrolment.door"
PERSON_SALT = "enrolment.person"


def _local(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _locked(roster_id: int) -> Roster:
    return Roster.objects.select_for_update().get(pk=roster_id)


def _people(enrolments):
    """The people of some enrolments, as a user queryset (``notify_all`` streams a queryset by its
    own primary key, so it must be the users', not the enrolments')."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=enrolments.values("person_id"))


def _after_commit(**kwargs) -> None:
    users = kwargs.pop("users")
    transaction.on_commit(lambda: notify_all(users, **kwargs))


def _release(roster: Roster, enrolment: Enrolment) -> None:
    """Take an enrolment's claim off the roster's counters (the roster is locked)."""
    if enrolment.state in Enrolment.HOLDING:
        roster.taken -= 1
    elif enrolment.state == State.WAITING:
        roster.waiting -= 1
    elif enrolment.state == State.APPLIED:
        roster.applied -= 1


def _deliverable(now):
    """When a notice sent now can be read: after quiet hours (22:00–07:00 by default)."""
    local = timezone.localtime(now)
    start, end = QUIET_HOURS
    if local.hour >= start:
        local = (local + datetime.timedelta(days=1)).replace(hour=end, minute=0, second=0, microsecond=0)
    elif local.hour < end:
        local = local.replace(hour=end, minute=0, second=0, microsecond=0)
    return max(now, local)


def _next_start(roster: Roster, now):
    return (
        Occasion.objects.filter(roster=roster, cancelled_at__isnull=True, starts_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


def _offer_free_places(roster: Roster, now) -> list[Enrolment]:
    """Offer free places to the first people waiting (the roster is locked and saved after)."""
    if roster.unlimited or not roster.waiting_list or roster.waiting <= 0:
        return []
    free = roster.places - roster.taken
    if free <= 0:
        return []
    start = _next_start(roster, now)
    cutoff = datetime.timedelta(hours=OFFER_CUTOFF_HOURS)
    if start is not None and start - now < cutoff:
        if roster.door_notice_at is None:
            roster.door_notice_at = now
            _after_commit(
                users=_people(Enrolment.objects.filter(roster=roster, state=State.WAITING)),
                kind="enrolment.offered",
                key=f"enrolment.door:{roster.pk}",
                title=_("现场补位：%(title)s") % {"title": roster.title},
                body=_("活动即将开始，空出的名额不再逐一通知，候补的职工可到现场按先到先得补位。"),
                url=roster.url,
            )
        return []
    expires = _deliverable(now) + datetime.timedelta(hours=roster.hold_hours)
    if start is not None:
        expires = min(expires, start - cutoff)
    offered = list(
        Enrolment.objects.select_for_update()
        .filter(roster=roster, state=State.WAITING)
        .order_by("queued_at", "pk")[:free]
    )
    for enrolment in offered:
        enrolment.state, enrolment.offered_at, enrolment.offer_expires_at = State.OFFERED, now, expires
        enrolment.save(update_fields=["state", "offered_at", "offer_expires_at", "updated_at"])
        roster.taken += 1
        roster.waiting -= 1
        _after_commit(
            users=[enrolment.person_id],
            kind="enrolment.offered",
            key=f"enrolment.offered:{enrolment.pk}",
            title=_("候补成功，请确认：%(title)s") % {"title": roster.title},
            body=_("有人取消了报名，名额为您保留到 %(when)s，请在此之前确认，逾期将顺延给下一位。")
            % {"when": _local(expires)},
            url=roster.url,
        )
    return offered


def _save_counts(roster: Roster) -> None:
    roster.save(update_fields=["taken", "waiting", "applied", "door_notice_at", "updated_at"])


def _expire(roster: Roster, enrolment: Enrolment, now) -> None:
    _release(roster, enrolment)
    enrolment.state = State.EXPIRED
    enrolment.save(update_fields=["state", "updated_at"])
    _after_commit(
        users=[enrolment.person_id],
        kind="enrolment.offered",
        key=f"enrolment.expired:{enrolment.pk}",
        title=_("名额已顺延：%(title)s") % {"title": roster.title},
        body=_("您没有在保留时间内确认，名额已顺延给下一位候补。"),
        url=roster.url,
    )
