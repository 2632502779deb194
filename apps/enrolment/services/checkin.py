"""Check-in: the signed door code of the day, the personal code, staff check-in by number."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Attendance, Enrolment, Occasion
from .common import (
    CHECKIN_EARLY,
    CHECKIN_LATE,
    DOOR_SALT,
    PERSON_SALT,
    State,
    _local,
    _locked,
    _release,
    _save_counts,
)


def door_token(*, occasion: Occasion, day: datetime.date | None = None) -> str:
    """The signed door code of an occasion for one day (it changes every day)."""
    day = day or timezone.localdate()
    return signing.dumps([occasion.pk, day.isoformat()], salt=DOOR_SALT)


def door_token_occasion(token: str, *, today: datetime.date | None = None) -> Occasion:
    """The occasion a door code is for, if it is genuine and today's."""
    today = today or timezone.localdate()
    try:
        occasion_id, day = signing.loads(token, salt=DOOR_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError(_("签到码无效，请扫描现场张贴的二维码。"), code="forged") from None
    if day != today.isoformat():
        raise ValidationError(_("签到码已过期（每天更新），请扫描现场今天的二维码。"), code="expired")
    occasion = Occasion.objects.select_related("roster").filter(pk=occasion_id).first()
    if occasion is None:
        raise ValidationError(_("签到码无效，请扫描现场张贴的二维码。"), code="forged")
    return occasion


def person_code(user) -> str:
    """A person's own check-in code (shown as a QR in their page; staff scan it at the door)."""
    return signing.Signer(salt=PERSON_SALT).sign(str(user.pk))


def person_from_code(code: str):
    from django.contrib.auth import get_user_model

    try:
        user_id = int(signing.Signer(salt=PERSON_SALT).unsign(code.strip()))
    except (signing.BadSignature, ValueError):
        raise ValidationError(_("个人签到码无效，请让职工刷新“我的签到码”后再扫。")) from None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError(_("个人签到码无效，请让职工刷新“我的签到码”后再扫。"))
    return user


@dataclass
class CheckinResult:
    attendances: list[Attendance]
    already: bool
    walk_in: bool = False


def checkin(*, occasion: Occasion, person, method: str, by=None, now=None) -> CheckinResult:
    """Record that a person (and the children they enrolled) came to an occasion."""
    now = now or timezone.now()
    if occasion.cancelled_at is not None:
        raise ValidationError(_("该场次已取消。"))
    if not (occasion.starts_at - CHECKIN_EARLY <= now <= occasion.ends_at + CHECKIN_LATE):
        raise ValidationError(
            _("不在签到时间内：本场 %(start)s 开始，开始前2小时至结束后1小时可以签到。")
            % {"start": _local(occasion.starts_at)}
        )
    with transaction.atomic():
        roster = _locked(occasion.roster_id)
        mine = list(
            Enrolment.objects.select_for_update().filter(
                roster=roster, person=person, state__in=(*Enrolment.HOLDING, State.WAITING, State.APPLIED)
            )
        )
        holding = [e for e in mine if e.holds_place]
        walk_in = False
        if not holding:
            if not roster.walk_ins_allowed:
                raise ValidationError(_("没有找到您的有效报名（候补未转正的不能签到），请联系现场工作人员。"))
            walk_in = True
            for enrolment in mine:  # waiting or drawn out: they came anyway
                _release(roster, enrolment)
                enrolment.state, enrolment.walk_in = State.ATTENDED, True
                enrolment.save(update_fields=["state", "walk_in", "updated_at"])
            holding = mine or [
                Enrolment.objects.create(
                    roster=roster,
                    person=person,
                    channel=Enrolment.Channel.DOOR,
                    state=State.ATTENDED,
                    walk_in=True,
                    confirmed_at=now,
                )
            ]
            _save_counts(roster)
        made, already = [], True
        for enrolment in holding:
            attendance, created = Attendance.objects.get_or_create(
                occasion=occasion, enrolment=enrolment, defaults={"method": method, "checked_in_by": by}
            )
            made.append(attendance)
            already = already and not created
            if enrolment.state != State.ATTENDED:
                enrolment.state = State.ATTENDED
                enrolment.confirmed_at = enrolment.confirmed_at or now
                enrolment.save(update_fields=["state", "confirmed_at", "updated_at"])
    return CheckinResult(made, already and not walk_in, walk_in)


def checkin_by_phone(*, occasion: Occasion, phone: str, by, now=None) -> CheckinResult:
    """Staff check someone in by the mobile number on their account."""
    phone = (phone or "").strip()
    if not (phone.isdigit() and len(phone) == 11):
        raise ValidationError(_("请输入11位手机号码。"))
    people = list(
        Enrolment.objects.filter(roster_id=occasion.roster_id, person__phone=phone, state__in=Enrolment.LIVE)
        .values_list("person", flat=True)
        .distinct()
    )
    if not people:
        raise ValidationError(_("没有找到手机号 %(phone)s 的报名。") % {"phone": phone})
    if len(people) > 1:
        raise ValidationError(_("手机号 %(phone)s 对应多个账户，请改扫个人签到码。") % {"phone": phone})
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.get(pk=people[0])
    return checkin(occasion=occasion, person=person, method=Attendance.Method.PHONE, by=by, now=now)
