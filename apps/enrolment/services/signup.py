"""Rosters, their occasions, and signing up (a place, the waiting list, or a draw entry)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrolment, NominationQuota, Occasion, PriorityGroup, Roster
from ..rules import rule_check
from .common import (
    State,
    _after_commit,
    _local,
    _locked,
)


def roster_create(*, owner, title: str, url: str = "", **fields) -> Roster:
    """The roster of a thing that has places (one per owner)."""
    from django.contrib.contenttypes.models import ContentType

    roster = Roster(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk, title=title, url=url)
    for name, value in fields.items():
        setattr(roster, name, value)
    roster.full_clean()
    roster.save()
    return roster


def occasion_add(*, roster: Roster, starts_at, ends_at, where: str = "") -> Occasion:
    """A dated time of the roster where people check in."""
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("结束时间不能早于开始时间。")})
    occasion = Occasion(roster=roster, starts_at=starts_at, ends_at=ends_at, where=where)
    occasion.full_clean()
    occasion.save()
    return occasion


def _check_window(roster: Roster, now) -> None:
    if not roster.is_open:
        raise ValidationError(_("该活动已停止报名。"), code="closed")
    if roster.opens_at and now < roster.opens_at:
        raise ValidationError(_("报名将于 %(when)s 开始。") % {"when": _local(roster.opens_at)}, code="not_open")
    if roster.closes_at and now >= roster.closes_at:
        raise ValidationError(_("报名已于 %(when)s 截止。") % {"when": _local(roster.closes_at)}, code="closed")


def _check_dependant(roster: Roster, name: str, age, phone: str, consent: bool) -> None:
    if not name:
        if roster.dependants_allowed:
            raise ValidationError({"dependant_name": _("请填写孩子的姓名。")})
        return
    if not roster.dependants_allowed:
        raise ValidationError(_("本活动不接受为子女报名。"))
    errors = {}
    low, high = roster.dependant_min_age, roster.dependant_max_age
    if age is None:
        errors["dependant_age"] = _("请填写孩子的年龄。")
    elif (low is not None and age < low) or (high is not None and age > high):
        errors["dependant_age"] = _("本活动招收 %(low)s–%(high)s 岁的孩子，%(age)s 岁不在范围内。") % {
            "low": low if low is not None else 0,
            "high": high if high is not None else "",
            "age": age,
        }
    if not (phone and phone.isdigit() and len(phone) == 11):
        errors["guardian_phone"] = _("请填写监护人的11位手机号码。")
    if not consent:
        errors["guardian_consent"] = _("请确认您是孩子的监护人并同意报名。")
    if errors:
        raise ValidationError(errors)


def _check_quota(roster: Roster, union) -> None:
    """A nominating union fills at most its sub-quota of the places (the roster is locked)."""
    if union is None:
        raise ValidationError(_("推荐报名须注明推荐单位。"))
    quota = NominationQuota.objects.filter(roster=roster, union=union).values_list("places", flat=True).first()
    if quota is None:
        return
    used = Enrolment.objects.filter(roster=roster, nominated_by=union, state__in=Enrolment.LIVE).count()
    if used >= quota:
        raise ValidationError(
            _("%(union)s 的推荐名额（%(n)s 个）已用完。") % {"union": union, "n": quota}, code="quota"
        )


def _priority_group(roster: Roster, person) -> PriorityGroup | None:
    for group in roster.priority_groups.all():
        if rule_check(group.rule, person).ok:
            return group
    return None


@dataclass
class SignupResult:
    enrolment: Enrolment
    created: bool


def signup(
    *,
    roster: Roster,
    person,
    dependant_name: str = "",
    dependant_age: int | None = None,
    guardian_phone: str = "",
    guardian_consent: bool = False,
    channel: str = Enrolment.Channel.SELF,
    nominated_by=None,
    now=None,
) -> SignupResult:
    """Sign a person (or their child) up: a place, a place on the waiting list, or a draw entry.

    Signing up again while the first is live returns that enrolment (a double tap makes one).
    """
    now = now or timezone.now()
    dependant_name = (dependant_name or "").strip()
    by_staff = channel in (Enrolment.Channel.STAFF, Enrolment.Channel.NOMINATED)
    with transaction.atomic():
        roster = _locked(roster.pk)
        existing = Enrolment.objects.filter(
            roster=roster, person=person, dependant_name=dependant_name, state__in=Enrolment.LIVE
        ).first()
        if existing is not None:
            return SignupResult(existing, False)
        if not by_staff:
            _check_window(roster, now)
            verdict = rule_check(roster.audience, person)
            if not verdict.ok:
                raise ValidationError(verdict.reason, code="audience")
        _check_dependant(roster, dependant_name, dependant_age, guardian_phone, guardian_consent)
        if channel == Enrolment.Channel.NOMINATED:
            _check_quota(roster, nominated_by)
        mine = Enrolment.objects.filter(roster=roster, person=person, state__in=Enrolment.LIVE).count()
        if mine >= roster.places_per_person:
            raise ValidationError(
                _("每人最多报名 %(count)s 个名额。") % {"count": roster.places_per_person}, code="per_person"
            )
        enrolment = Enrolment(
            roster=roster,
            person=person,
            dependant_name=dependant_name,
            dependant_age=dependant_age if dependant_name else None,
            guardian_phone=guardian_phone if dependant_name else "",
            guardian_consent_at=now if dependant_name else None,
            channel=channel,
            nominated_by=nominated_by,
        )
        if roster.allocation == Roster.Allocation.DRAW and roster.drawn_at is None:
            enrolment.state = State.APPLIED
            enrolment.priority_group = _priority_group(roster, person)
            roster.applied = F("applied") + 1
        elif roster.unlimited or roster.taken < roster.places:
            enrolment.state, enrolment.confirmed_at = State.CONFIRMED, now
            roster.taken = F("taken") + 1
        elif roster.waiting_list:
            enrolment.state, enrolment.queued_at = State.WAITING, now
            roster.waiting = F("waiting") + 1
        else:
            raise ValidationError(_("名额已满，本活动不设候补。"), code="full")
        try:
            with transaction.atomic():
                enrolment.save()
        except IntegrityError:
            # Only reachable without the lock (another tool writing directly): the constraint wins.
            existing = Enrolment.objects.get(
                roster=roster, person=person, dependant_name=dependant_name, state__in=Enrolment.LIVE
            )
            return SignupResult(existing, False)
        roster.save(update_fields=["applied", "taken", "waiting", "updated_at"])
        if enrolment.state == State.CONFIRMED:
            _after_commit(
                users=[person],
                kind="enrolment.confirmed",
                key=f"enrolment.confirmed:{enrolment.pk}",
                title=_("报名成功：%(title)s") % {"title": roster.title},
                body=_("您已报名“%(title)s”。活动前一天会提醒您时间和地点。") % {"title": roster.title},
                url=roster.url,
            )
    return SignupResult(enrolment, True)


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first on the waiting list (None when not waiting)."""
    if enrolment.state != State.WAITING:
        return None
    ahead = Enrolment.objects.filter(roster_id=enrolment.roster_id, state=State.WAITING).filter(
        Q(queued_at__lt=enrolment.queued_at) | Q(queued_at=enrolment.queued_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1
