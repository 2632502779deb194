"""Cancellations, offers of a freed place, their confirmation and their expiry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrolment
from .common import (
    State,
    _after_commit,
    _expire,
    _locked,
    _offer_free_places,
    _release,
    _save_counts,
)


def enrolment_cancel(*, enrolment: Enrolment, by, reason: str = "", now=None) -> Enrolment:
    """Cancel an enrolment (the person, or staff with a reason); a freed place is offered at once."""
    now = now or timezone.now()
    staff = by is not None and by.pk != enrolment.person_id
    if staff and not reason.strip():
        raise ValidationError({"reason": _("工作人员取消报名须填写原因。")})
    with transaction.atomic():
        roster = _locked(enrolment.roster_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.state in (State.ATTENDED, State.NO_SHOW):
            raise ValidationError(_("活动已经举行，不能取消报名。"))
        if not enrolment.is_live:
            raise ValidationError(_("该报名已经取消或失效。"))
        _release(roster, enrolment)
        enrolment.state, enrolment.cancelled_at = State.CANCELLED, now
        enrolment.cancel_reason, enrolment.cancelled_by = reason.strip()[:200], by
        enrolment.save(update_fields=["state", "cancelled_at", "cancel_reason", "cancelled_by", "updated_at"])
        _offer_free_places(roster, now)
        _save_counts(roster)
        if staff:
            _after_commit(
                users=[enrolment.person_id],
                kind="enrolment.changed",
                key=f"enrolment.cancelled:{enrolment.pk}",
                title=_("您的报名已被取消：%(title)s") % {"title": roster.title},
                body=_("原因：%(reason)s") % {"reason": enrolment.cancel_reason},
                url=roster.url,
            )
    return enrolment


def offer_accept(*, enrolment: Enrolment, now=None) -> Enrolment:
    """Confirm an offered place before its deadline."""
    now = now or timezone.now()
    late = False
    with transaction.atomic():
        roster = _locked(enrolment.roster_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.state == State.CONFIRMED:
            return enrolment
        if enrolment.state != State.OFFERED:
            raise ValidationError(_("该名额已不再为您保留。"))
        if enrolment.offer_expires_at and enrolment.offer_expires_at <= now:
            _expire(roster, enrolment, now)
            _offer_free_places(roster, now)
            _save_counts(roster)
            late = True
        else:
            enrolment.state, enrolment.confirmed_at = State.CONFIRMED, now
            enrolment.save(update_fields=["state", "confirmed_at", "updated_at"])
    if late:
        raise ValidationError(_("确认时间已过，名额已顺延给下一位候补。"))
    return enrolment


def offer_decline(*, enrolment: Enrolment, now=None) -> Enrolment:
    """Give an offered place back; the next person waiting is offered it."""
    now = now or timezone.now()
    with transaction.atomic():
        roster = _locked(enrolment.roster_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.state != State.OFFERED:
            raise ValidationError(_("该名额已不再为您保留。"))
        _release(roster, enrolment)
        enrolment.state = State.DECLINED
        enrolment.save(update_fields=["state", "updated_at"])
        _offer_free_places(roster, now)
        _save_counts(roster)
    return enrolment


def offers_expire(*, now=None) -> int:
    """Beat: offers not confirmed in time expire and pass on to the next person waiting."""
    now = now or timezone.now()
    expired = 0
    roster_ids = (
        Enrolment.objects.filter(state=State.OFFERED, offer_expires_at__lte=now)
        .values_list("roster_id", flat=True)
        .distinct()
    )
    for roster_id in list(roster_ids):
        with transaction.atomic():
            roster = _locked(roster_id)
            # Re-read under the lock: a confirmation or a cancellation may have come first.
            for enrolment in Enrolment.objects.select_for_update().filter(
                roster=roster, state=State.OFFERED, offer_expires_at__lte=now
            ):
                _expire(roster, enrolment, now)
                expired += 1
            _offer_free_places(roster, now)
            _save_counts(roster)
    return expired
