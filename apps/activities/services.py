"""Writes of the activities app. Places, sign-up and check-in go through the enrolment engine
(``apps.enrolment.services``); this module keeps the activity, its sessions and the roster in
step (the roster's title, page and window follow the activity)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment, Occasion, Roster

from .models import Activity, Kind, Session

# Fields of the activity's roster that the organiser's form edits.
ROSTER_FIELDS = (
    "places",
    "opens_at",
    "closes_at",
    "allocation",
    "waiting_list",
    "hold_hours",
    "walk_ins_allowed",
)


def _sync_dates(activity: Activity) -> None:
    span = Occasion.objects.filter(pk__in=activity.sessions.values("occasion_id"), cancelled_at__isnull=True).aggregate(
        first=Min("starts_at"), last=Max("starts_at")
    )
    activity.starts_on = timezone.localdate(span["first"]) if span["first"] else None
    activity.ends_on = timezone.localdate(span["last"]) if span["last"] else None
    activity.save(update_fields=["starts_on", "ends_on", "updated_at"])


def _roster_values(activity: Activity, roster_fields: dict) -> dict:
    values = {name: roster_fields[name] for name in ROSTER_FIELDS if name in roster_fields}
    values.update(
        title=activity.full_title,
        url=activity.get_absolute_url(),
        audience=activity.audience,
        dependants_allowed=activity.is_childcare,
        dependant_min_age=activity.child_min_age if activity.is_childcare else None,
        dependant_max_age=activity.child_max_age if activity.is_childcare else None,
        places_per_person=3 if activity.is_childcare else 1,
    )
    return values


def activity_save(*, activity: Activity, roster_fields: dict | None = None) -> Activity:
    """Create or change an activity and its roster (validated, in one transaction)."""
    roster_fields = roster_fields or {}
    if activity.is_childcare and (activity.child_min_age is None or activity.child_max_age is None):
        raise ValidationError({"child_min_age": _("托管托育须填写招收儿童的年龄范围。")})
    low, high = activity.child_min_age, activity.child_max_age
    if low is not None and high is not None and low > high:
        raise ValidationError({"child_max_age": _("最大年龄不能小于最小年龄。")})
    opens, closes = roster_fields.get("opens_at"), roster_fields.get("closes_at")
    if opens and closes and closes <= opens:
        raise ValidationError({"closes_at": _("报名截止时间须晚于报名开始时间。")})
    if roster_fields.get("allocation") == Roster.Allocation.DRAW and not closes:
        raise ValidationError({"closes_at": _("抽签的活动须设报名截止时间（截止后抽签）。")})
    activity.full_clean(exclude=["roster"])
    with transaction.atomic():
        activity.save()
        values = _roster_values(activity, roster_fields)
        if activity.roster_id is None:
            activity.roster = engine.roster_create(owner=activity, is_open=False, **values)
            activity.save(update_fields=["roster", "updated_at"])
        else:
            Roster.objects.filter(pk=activity.roster_id).update(**values, updated_at=timezone.now())
    return activity


def session_add(*, activity: Activity, starts_at, ends_at, topic: str = "", where: str = "") -> Session:
    """One more session of an activity (its occasion on the roster, for check-in)."""
    if activity.status in (Activity.Status.HELD, Activity.Status.CANCELLED):
        raise ValidationError(_("活动已结束或已取消，不能再加场次。"))
    if starts_at is None or ends_at is None:
        raise ValidationError(_("请填写场次的日期和起止时间。"))
    with transaction.atomic():
        occasion = engine.occasion_add(
            roster=activity.roster, starts_at=starts_at, ends_at=ends_at, where=where or activity.place_name
        )
        session = Session.objects.create(activity=activity, occasion=occasion, topic=topic)
        _sync_dates(activity)
    return session


def activity_publish(*, activity: Activity) -> Activity:
    """Publish a draft: it appears in the list and sign-up opens (when it takes sign-ups)."""
    if activity.status != Activity.Status.DRAFT:
        raise ValidationError(_("只有草稿可以发布。"))
    if not activity.sessions.exists():
        raise ValidationError(_("请先添加至少一个场次（日期和时间），再发布。"))
    with transaction.atomic():
        activity.status = Activity.Status.PUBLISHED
        activity.save(update_fields=["status", "updated_at"])
        if activity.signup_required:
            engine.roster_open(roster=activity.roster)
    return activity


def activity_cancel(*, activity: Activity, reason: str) -> Activity:
    """Cancel an activity: sign-ups close and everyone enrolled is told why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因，报名的职工会收到通知。")})
    if activity.status in (Activity.Status.HELD, Activity.Status.CANCELLED):
        raise ValidationError(_("活动已举办或已取消。"))
    with transaction.atomic():
        activity.status, activity.cancel_reason = Activity.Status.CANCELLED, reason[:200]
        activity.save(update_fields=["status", "cancel_reason", "updated_at"])
        engine.roster_close(roster=activity.roster, reason=reason)
    return activity


def activity_mark_held(*, activity: Activity, now=None) -> Activity:
    """Record that an activity took place (after its first session started)."""
    now = now or timezone.now()
    if activity.status != Activity.Status.PUBLISHED:
        raise ValidationError(_("只有已发布的活动可以标记为已举办。"))
    first = activity.sessions.filter(occasion__cancelled_at__isnull=True).aggregate(s=Min("occasion__starts_at"))["s"]
    if first is None or first > now:
        raise ValidationError(_("活动还没有开始，不能标记为已举办。"))
    with transaction.atomic():
        activity.status = Activity.Status.HELD
        activity.save(update_fields=["status", "updated_at"])
        engine.roster_close(roster=activity.roster, tell=False)
    return activity


def head_count_record(*, session: Session, count) -> Session:
    """The organiser's count of people at a session held without sign-up."""
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = -1
    if count < 0 or count > 100000:
        raise ValidationError({"head_count": _("请填写到场人数（0 或正整数）。")})
    if session.occasion.starts_at > timezone.now():
        raise ValidationError({"head_count": _("场次还没有开始，不能登记到场人数。")})
    session.head_count = count
    session.save(update_fields=["head_count", "updated_at"])
    return session


def session_cancel(*, session: Session, reason: str) -> Session:
    """Cancel one session; everyone enrolled is told."""
    engine.occasion_cancel(occasion=session.occasion, reason=reason)
    _sync_dates(session.activity)
    return session


def activity_message(*, activity: Activity, title: str, body: str) -> int:
    """A message from the organiser to everyone enrolled (waiting list included)."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写通知标题。")})
    return engine.roster_tell_all(
        roster=activity.roster, title=f"{activity.full_title}：{title}"[:200], body=body, kind="enrolment.changed"
    )


def activity_copy_next(*, activity: Activity, days_later: int = 7) -> Activity:
    """A draft of the next 期: same kind, place, audience and rules, sessions moved on, no sign-ups."""
    roster = activity.roster
    same_kind = Activity.objects.filter(kind=activity.kind, title=activity.title).aggregate(n=Max("series_number"))
    copy = Activity(
        kind=activity.kind,
        series_number=(same_kind["n"] or activity.series_number or 1) + 1,
        title=activity.title,
        organiser=activity.organiser,
        partner=activity.partner,
        description=activity.description,
        audience=activity.audience,
        place_name=activity.place_name,
        town=activity.town,
        address=activity.address,
        latitude=activity.latitude,
        longitude=activity.longitude,
        signup_required=activity.signup_required,
        completion_sessions=activity.completion_sessions,
        child_min_age=activity.child_min_age,
        child_max_age=activity.child_max_age,
    )
    fields = {name: getattr(roster, name) for name in ROSTER_FIELDS} if roster else {}
    shift = datetime.timedelta(days=days_later)
    for name in ("opens_at", "closes_at"):
        if fields.get(name):
            fields[name] = max(fields[name] + shift, timezone.now()) if name == "opens_at" else fields[name] + shift
    with transaction.atomic():
        activity_save(activity=copy, roster_fields=fields)
        for session in activity.sessions.select_related("occasion").filter(occasion__cancelled_at__isnull=True):
            session_add(
                activity=copy,
                starts_at=session.occasion.starts_at + shift,
                ends_at=session.occasion.ends_at + shift,
                topic=session.topic,
                where=session.occasion.where,
            )
    return copy


def activity_signup(*, activity: Activity, person, **child) -> engine.SignupResult:
    """A worker signs up (or signs a child up) for an activity."""
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("该活动已取消：%(reason)s") % {"reason": activity.cancel_reason})
    if activity.status == Activity.Status.HELD:
        raise ValidationError(_("该活动已经举办，不能再报名。"))
    if activity.status != Activity.Status.PUBLISHED or not activity.signup_required:
        raise ValidationError(_("该活动不需要或暂不接受报名。"))
    return engine.signup(roster=activity.roster, person=person, **child)


def enrolment_cancel_own(*, enrolment: Enrolment, person) -> Enrolment:
    return engine.enrolment_cancel(enrolment=enrolment, by=person)


KIND_LABELS = dict(Kind.choices)
