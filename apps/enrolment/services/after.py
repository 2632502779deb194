"""After and around the event: no-shows, satisfaction, the day-before reminder, telling everyone, closing."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.reminders.services import notify_all

from ..models import Enrolment, Occasion, Roster, Satisfaction
from .common import (
    State,
    _local,
    _locked,
    _people,
)


def no_shows_mark(*, now=None) -> int:
    """Beat: after a roster's last occasion, confirmed people who never checked in are no-shows."""
    now = now or timezone.now()
    ended = (
        Roster.objects.annotate(last_end=Max("occasions__ends_at", filter=Q(occasions__cancelled_at__isnull=True)))
        .filter(last_end__lt=now)
        .values("pk")
    )
    return Enrolment.objects.filter(roster__in=ended, state=State.CONFIRMED).update(state=State.NO_SHOW, updated_at=now)


def satisfaction_ask(*, now=None) -> int:
    """Beat: one satisfaction question to each attendee of a roster that ended in the last week."""
    now = now or timezone.now()
    recent = (
        Roster.objects.annotate(last_end=Max("occasions__ends_at", filter=Q(occasions__cancelled_at__isnull=True)))
        .filter(last_end__lt=now, last_end__gte=now - datetime.timedelta(days=7))
        .only("pk", "title", "url")
    )
    told = 0
    for roster in recent:
        told += notify_all(
            _people(Enrolment.objects.filter(roster=roster, state=State.ATTENDED, satisfaction__isnull=True)),
            kind="enrolment.satisfaction",
            key=f"enrolment.satisfaction:{roster.pk}",
            title=_("请评价：%(title)s") % {"title": roster.title},
            body=_("感谢参加！请用一分钟告诉我们您是否满意（1–5 分）。"),
            url=f"{roster.url}#rate" if roster.url else "",
        )
    return told


def satisfaction_submit(*, enrolment: Enrolment, score, comment: str = "") -> Satisfaction:
    """One satisfaction answer per enrolment, after attending."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("请选择 1–5 分。")})
    if enrolment.state != State.ATTENDED:
        raise ValidationError(_("参加活动后才能评价。"))
    try:
        with transaction.atomic():
            return Satisfaction.objects.create(enrolment=enrolment, score=score, comment=(comment or "").strip()[:200])
    except IntegrityError:
        raise ValidationError(_("您已经评价过了，谢谢！")) from None


REMINDED = (State.CONFIRMED, State.ATTENDED, State.OFFERED)


def tomorrow_remind(*, today: datetime.date | None = None) -> int:
    """Beat (evening): people holding a place are told the day before, with the place and a link
    to their own check-in code (never the door code)."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    told = 0
    occasions = Occasion.objects.select_related("roster").filter(
        starts_at__date=tomorrow, cancelled_at__isnull=True, roster__is_open=True
    )
    for occasion in occasions:
        roster = occasion.roster
        told += notify_all(
            _people(Enrolment.objects.filter(roster=roster, state__in=REMINDED)),
            kind="enrolment.tomorrow",
            key=f"enrolment.tomorrow:{occasion.pk}",
            title=_("明天：%(title)s") % {"title": roster.title},
            body=_("时间：%(when)s\n地点：%(where)s\n到场后扫现场二维码签到，或向工作人员出示您的个人签到码。")
            % {"when": _local(occasion.starts_at), "where": occasion.where or "—"},
            url=f"{roster.url}#my-code" if roster.url else "",
        )
    return told


def roster_tell_all(
    *, roster: Roster, title: str, body: str = "", key: str = "", kind: str = "enrolment.changed"
) -> int:
    """A message to everyone enrolled (waiting list included), at most once per key."""
    key = key or f"enrolment.message:{roster.pk}:{uuid.uuid4().hex}"
    return notify_all(
        _people(Enrolment.objects.filter(roster=roster, state__in=Enrolment.LIVE)),
        kind=kind,
        key=key,
        title=title,
        body=body,
        url=roster.url,
    )


def occasion_cancel(*, occasion: Occasion, reason: str, now=None) -> Occasion:
    """Cancel one occasion; everyone enrolled is told."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("请填写取消原因，报名的职工会收到通知。")})
    with transaction.atomic():
        occasion = Occasion.objects.select_for_update().select_related("roster").get(pk=occasion.pk)
        if occasion.cancelled_at is not None:
            raise ValidationError(_("该场次已经取消。"))
        occasion.cancelled_at = now
        occasion.save(update_fields=["cancelled_at", "updated_at"])
        roster = occasion.roster
        transaction.on_commit(
            lambda: roster_tell_all(
                roster=roster,
                key=f"enrolment.occasion_cancelled:{occasion.pk}",
                title=_("场次取消：%(title)s") % {"title": roster.title},
                body=_("原定 %(when)s 的一场已取消。原因：%(reason)s")
                % {"when": _local(occasion.starts_at), "reason": reason.strip()},
            )
        )
    return occasion


def roster_close(*, roster: Roster, reason: str = "", tell: bool = True) -> Roster:
    """Stop sign-ups (the owner was cancelled or withdrawn); with ``tell``, everyone enrolled hears why."""
    with transaction.atomic():
        roster = _locked(roster.pk)
        roster.is_open = False
        roster.save(update_fields=["is_open", "updated_at"])
        if tell:
            transaction.on_commit(
                lambda: roster_tell_all(
                    roster=roster,
                    key=f"enrolment.closed:{roster.pk}",
                    title=_("活动取消：%(title)s") % {"title": roster.title},
                    body=_("很抱歉，该活动已取消。原因：%(reason)s") % {"reason": reason or "—"},
                )
            )
    return roster


def roster_open(*, roster: Roster) -> Roster:
    Roster.objects.filter(pk=roster.pk).update(is_open=True, updated_at=timezone.now())
    roster.refresh_from_db(fields=["is_open", "updated_at"])
    return roster
