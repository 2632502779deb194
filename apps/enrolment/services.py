"""Writes of the enrolment engine. Every change to who holds a place runs under a row lock on
the roster (``select_for_update``), so sign-ups, cancellations, offers and their expiry are
serialised per roster: 500 people for 100 places end with exactly 100 holding one, and a
cancellation racing an offer expiry never offers one place twice (the counters are re-read
under the lock, and a check constraint keeps ``taken`` within ``places``).

Reminders go out after the transaction commits, through ``reminders.services.notify_all`` with
natural keys (at most once per person and key).
"""

from __future__ import annotations

import datetime
import random
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.reminders.outbox import enqueue
from apps.reminders.services import notify_all

from .models import Attendance, Enrolment, Occasion, PriorityGroup, Roster, Satisfaction
from .rules import rule_check

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


# --- Sign-up ---------------------------------------------------------------------------------


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


# --- Cancellation, offers and their expiry ---------------------------------------------------


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


# --- The draw --------------------------------------------------------------------------------


def draw_order(entries: list[tuple[int, int | None]], groups: list[tuple[int, object]], seed: str, places: int):
    """The published algorithm: who is drawn in which order (a pure function of its inputs).

    ``entries`` are (enrolment id, priority group id or None); ``groups`` are (group id, share)
    in their order. Each group's ids, sorted, are shuffled with ``random.Random(f"{seed}:{n}")``
    (n: the group's position, people in no group last). A group with a share first takes up to
    ``floor(share × places)`` places from the front of its shuffled list; then everyone not yet
    placed follows, groups in order, each in its shuffled order. Draw number = position + 1.
    """
    order = [group_id for group_id, _share in groups] + [None]
    members: dict = {group_id: [] for group_id in order}
    for enrolment_id, group_id in sorted(entries):
        members[group_id if group_id in members else None].append(enrolment_id)
    shuffled = {}
    for position, group_id in enumerate(order):
        ids = members[group_id]
        random.Random(f"{seed}:{position}").shuffle(ids)
        shuffled[group_id] = ids
    first, placed = [], set()
    shares = dict(groups)
    for group_id in order:
        share = shares.get(group_id)
        if share:
            quota = min(int(float(share) * places), places - len(first))
            for enrolment_id in shuffled[group_id][: max(quota, 0)]:
                first.append(enrolment_id)
                placed.add(enrolment_id)
    rest = [enrolment_id for group_id in order for enrolment_id in shuffled[group_id] if enrolment_id not in placed]
    return first + rest


def _draw_inputs(roster: Roster):
    entries = list(
        Enrolment.objects.filter(roster=roster)
        .filter(Q(state=State.APPLIED) | Q(draw_number__isnull=False))
        .values_list("pk", "priority_group_id")
    )
    groups = list(PriorityGroup.objects.filter(roster=roster).order_by("order", "pk").values_list("pk", "share"))
    return entries, groups


def draw_run(*, roster: Roster, seed: str = "", now=None) -> list[int]:
    """Draw a roster after its window closes: numbers for all, offers for the first ``places``.

    Those not drawn wait in draw order (a cancellation offers their place in turn).
    """
    now = now or timezone.now()
    with transaction.atomic():
        roster = _locked(roster.pk)
        if roster.allocation != Roster.Allocation.DRAW:
            raise ValidationError(_("该名单按先到先得分配，不需要抽签。"))
        if roster.drawn_at is not None:
            raise ValidationError(_("已于 %(when)s 抽签，不能重抽。") % {"when": _local(roster.drawn_at)})
        if roster.closes_at is None or now < roster.closes_at:
            raise ValidationError(_("报名尚未截止，不能抽签。"))
        seed = seed or secrets.token_hex(8)
        entries, groups = _draw_inputs(roster)
        order = draw_order(entries, groups, seed, roster.places)
        winners = order[: roster.places] if not roster.unlimited else order
        expires = _deliverable(now) + datetime.timedelta(hours=roster.hold_hours)
        _set_draw_numbers(order, now)
        Enrolment.objects.filter(pk__in=winners).update(
            state=State.OFFERED, offered_at=now, offer_expires_at=expires, updated_at=now
        )
        Enrolment.objects.filter(roster=roster, state=State.APPLIED).update(state=State.WAITING, updated_at=now)
        roster.draw_seed, roster.drawn_at = seed, now
        roster.applied, roster.taken, roster.waiting = 0, len(winners), len(order) - len(winners)
        roster.save(update_fields=["draw_seed", "drawn_at", "applied", "taken", "waiting", "updated_at"])
        # Telling thousands is a task of its own (written in this transaction, sent after it commits).
        enqueue("apps.enrolment.tasks.draw_notify_task", roster.pk)
    return order


def _set_draw_numbers(order: list[int], now) -> None:
    """Every entry's draw number, and its place in the waiting list in draw order (queued_at is
    the draw time plus the number in microseconds): one UPDATE per 5,000 rows on PostgreSQL."""
    chunk_size = 5000
    if connection.vendor != "postgresql":
        rows = [
            Enrolment(pk=pk, draw_number=n, queued_at=now + datetime.timedelta(microseconds=n))
            for n, pk in enumerate(order, start=1)
        ]
        Enrolment.objects.bulk_update(rows, ["draw_number", "queued_at"], batch_size=500)
        return
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(order), chunk_size):
            chunk = order[start : start + chunk_size]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [value for n, pk in enumerate(chunk, start=start + 1) for value in (pk, n)]
            cursor.execute(
                f"UPDATE {table} AS e SET draw_number = v.n, queued_at = %s + v.n * interval '1 microsecond' "
                f"FROM (VALUES {values}) AS v(id, n) WHERE e.id = v.id",
                [now, *params],
            )


def draw_notify(*, roster_id: int) -> int:
    """Tell everyone drawn their result: winners to confirm, the others their waiting place."""
    roster = Roster.objects.get(pk=roster_id)
    offered = Enrolment.objects.filter(roster=roster, state=State.OFFERED, draw_number__isnull=False)
    first = offered.order_by("offer_expires_at").values_list("offer_expires_at", flat=True).first()
    told = notify_all(
        _people(offered),
        kind="enrolment.offered",
        key=f"enrolment.draw:{roster.pk}",
        title=_("抽签中签，请确认：%(title)s") % {"title": roster.title},
        body=_("请在 %(when)s 前确认参加，逾期名额顺延。") % {"when": _local(first)} if first else "",
        url=roster.url,
    )
    return told + notify_all(
        _people(Enrolment.objects.filter(roster=roster, state=State.WAITING)),
        kind="enrolment.offered",
        key=f"enrolment.draw:{roster.pk}",
        title=_("抽签结果：%(title)s") % {"title": roster.title},
        body=_("本次未中签，您已按抽签序号进入候补，有名额空出时会通知您。"),
        url=roster.url,
    )


def draw_replay(*, roster: Roster) -> tuple[list[int], bool]:
    """Re-run a stored draw from its seed: (the order, whether it matches the stored numbers)."""
    entries, groups = _draw_inputs(roster)
    order = draw_order(entries, groups, roster.draw_seed, roster.places)
    stored = list(
        Enrolment.objects.filter(roster=roster, draw_number__isnull=False)
        .order_by("draw_number")
        .values_list("pk", flat=True)
    )
    return order, order == stored


# --- Check-in --------------------------------------------------------------------------------


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


# --- After the event ---------------------------------------------------------------------------


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


# --- Telling everyone, closing -----------------------------------------------------------------


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
