"""Reminders on the outside channels: one delivery row per (notification, channel), queued through
the outbox, with each channel's once-rule.

- **Which channel.** Every reminder goes to the inbox and to one outside channel: the first of
  the plan (``channels.reach.plan``: WeChat with a live subscription → SMS for kinds that allow
  it → e-mail, less what the person switched off). Digests are e-mail only.
- **SMS and WeChat at most once.** A row is claimed (``queued`` → ``sending``, committed on its
  own) before the provider is called. A worker that dies mid-call leaves it ``sending``; the
  sweep marks it ``unknown`` after ``REMINDER_SEND_STALE_SECONDS`` and nobody sends it again. A
  timeout or broken answer is ``unknown`` too. Only a definite refusal (``refused``) or the
  provider's cap (``capped``) moves the reminder on to the next channel of the plan; with none
  left it stays in-site only. Every failure is logged.
- **E-mail at least once**, as before: the same Message-ID on every attempt (``services``).
- **Quiet hours** (``REMINDER_QUIET_HOURS``, 21:00–08:00) hold SMS and WeChat (``held``) until
  the morning; the sweep (beat, every few minutes) queues them again then.
- **Provider cap.** Before an SMS is sent, the rows of the same number and template claimed
  today are counted; at ``REMINDER_SMS_DAILY_CAP`` (Aliyun: 50) it is ``capped`` without asking.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .channels.reach import DEFAULT_CHOICE, EMAIL, SMS, WECHAT, Choice, addresses_of, plan
from .channels.senders import CAPPED, REFUSED, SENT, UNKNOWN, SendResult, sender_for
from .models import ChannelDelivery, Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)
Status = ChannelDelivery.Status
MESSAGE_CHANNELS = (WECHAT, SMS)


def _clock(value: str) -> datetime.time:
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


def quiet_until(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The end of the quiet hours if ``now`` is inside them (SMS and WeChat wait), else None."""
    if not settings.REMINDER_QUIET_HOURS:
        return None
    start, end = (_clock(part) for part in settings.REMINDER_QUIET_HOURS.split("-"))
    local = timezone.localtime(now or timezone.now())
    at = local.time()
    if start > end:  # across midnight (21:00-08:00)
        if not (at >= start or at < end):
            return None
        day = local.date() + datetime.timedelta(days=1) if at >= start else local.date()
    else:
        if not (start <= at < end):
            return None
        day = local.date()
    return timezone.make_aware(datetime.datetime.combine(day, end), local.tzinfo)


def choices_of(user_ids, kind: str) -> dict[int, Choice]:
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids), kind=kind).values_list(
        "user_id", "delivery", "wechat", "sms"
    )
    return {user_id: Choice(delivery, wechat, sms) for user_id, delivery, wechat, sms in rows}


def _template(channel: str, kind: str, address: str) -> str:
    app = address.split(":", 1)[0] if channel == WECHAT else ""
    return sender_for(channel).template_for(kind, app)


def new_delivery(notification_id: int, kind: str, channel: str, address: str, now, held_until=None) -> ChannelDelivery:
    """An unsaved row for the first (or next) channel of one reminder."""
    row = ChannelDelivery(
        notification_id=notification_id, channel=channel, address=address, created_at=now, updated_at=now
    )
    if channel in MESSAGE_CHANNELS:
        row.template = _template(channel, kind, address)
        if held_until:
            row.status, row.not_before = Status.HELD, held_until
    return row


def queue_sends(notification_ids: list[int]) -> None:
    """Hand one batch of SMS/WeChat sends to the outbox (runs after the caller commits)."""
    if notification_ids:
        from .outbox import enqueue
        from .tasks import channel_deliveries_send

        enqueue(channel_deliveries_send, notification_ids)


def deliveries_send(*, notification_ids: list[int]) -> int:
    """Send the queued SMS/WeChat rows of these notifications, each at most once; returns how many
    went. Run outside a transaction (a worker, or after commit): each claim commits before its call."""
    sent = 0
    rows = (
        ChannelDelivery.objects.filter(
            notification_id__in=notification_ids, channel__in=MESSAGE_CHANNELS, status=Status.QUEUED
        )
        .select_related("notification", "notification__user")
        .order_by("pk")
    )
    for row in rows:
        sent += _send_one(row) == SENT
    return sent


def _cap_reached(row: ChannelDelivery, now) -> bool:
    if row.channel != SMS:
        return False
    day_start = timezone.make_aware(
        datetime.datetime.combine(timezone.localtime(now).date(), datetime.time.min), timezone.get_current_timezone()
    )
    used = ChannelDelivery.objects.filter(
        channel=SMS,
        address=row.address,
        template=row.template,
        started_at__gte=day_start,
        status__in=[Status.SENT, Status.UNKNOWN, Status.SENDING],
    ).count()
    return used >= settings.REMINDER_SMS_DAILY_CAP


def _send_one(row: ChannelDelivery) -> str | None:
    now = timezone.now()
    held = quiet_until(now)
    if held:
        ChannelDelivery.objects.filter(pk=row.pk, status=Status.QUEUED).update(
            status=Status.HELD, not_before=held, updated_at=now
        )
        return None
    if row.not_before and row.not_before > now:
        return None
    if _cap_reached(row, now):
        if ChannelDelivery.objects.filter(pk=row.pk, status=Status.QUEUED).update(
            status=Status.CAPPED, finished_at=now, error="daily cap reached (counted here)", updated_at=now
        ):
            logger.warning("reminders: %s capped for %s (daily cap); trying the next channel", row.channel, row)
            fallback(row)
        return CAPPED
    # The claim: committed on its own before the provider is called. Whoever wins it sends.
    if not ChannelDelivery.objects.filter(pk=row.pk, status=Status.QUEUED).update(
        status=Status.SENDING, started_at=now, updated_at=now
    ):
        return None
    try:
        result = sender_for(row.channel).send(row)
    except Exception as exc:  # noqa: BLE001 - after the claim any surprise is an unknown outcome
        result = SendResult(UNKNOWN, error=f"{exc.__class__.__name__}: {exc}")
    status = {SENT: Status.SENT, REFUSED: Status.REFUSED, CAPPED: Status.CAPPED}.get(result.outcome, Status.UNKNOWN)
    ChannelDelivery.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=status,
        finished_at=timezone.now(),
        provider_ref=result.ref[:80],
        error=result.error[:300],
        updated_at=timezone.now(),
    )
    if status == Status.UNKNOWN:
        logger.warning(
            "reminders: %s of notification %s has an unknown outcome (%s); not repeated",
            row.channel,
            row.notification_id,
            result.error,
        )
    elif status in (Status.REFUSED, Status.CAPPED):
        logger.warning(
            "reminders: %s refused notification %s (%s); trying the next channel",
            row.channel,
            row.notification_id,
            result.error,
        )
        fallback(row)
    return result.outcome


def fallback(row: ChannelDelivery) -> str | None:
    """After a definite refusal: the next channel of the plan that has no row yet (None: in-site only)."""
    note = row.notification
    addresses = addresses_of([note.user_id]).get(note.user_id, {})
    choice = choices_of([note.user_id], note.kind).get(note.user_id, DEFAULT_CHOICE)
    channels = plan(note.kind, addresses, choice)
    tried = set(ChannelDelivery.objects.filter(notification=note).values_list("channel", flat=True))
    order = [WECHAT, SMS, EMAIL]
    later = [c for c in channels if c not in tried and order.index(c) > order.index(row.channel)]
    if not later:
        logger.warning("reminders: notification %s has no channel left; it stays in-site only", note.pk)
        return None
    channel = later[0]
    now = timezone.now()
    try:
        with transaction.atomic():
            new_delivery(note.pk, note.kind, channel, addresses[channel], now, quiet_until(now)).save()
            if channel == EMAIL:
                Notification.objects.filter(pk=note.pk).update(email_wanted=True, delivery=choice.delivery)
                if choice.delivery == Delivery.IMMEDIATE:
                    from .outbox import enqueue
                    from .tasks import notification_emails_send

                    enqueue(notification_emails_send, [note.pk])
            else:
                queue_sends([note.pk])
    except IntegrityError:
        return None  # another worker moved it on already
    return channel


def deliveries_sweep(*, now: datetime.datetime | None = None, limit: int = 5000) -> dict[str, int]:
    """Beat: claims whose worker never came back become ``unknown``; held rows whose quiet hours
    are over go back to the queue."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.REMINDER_SEND_STALE_SECONDS)
    unknown = ChannelDelivery.objects.filter(status=Status.SENDING, started_at__lt=stale).update(
        status=Status.UNKNOWN, finished_at=now, error="the worker stopped mid-send: not repeated", updated_at=now
    )
    if unknown:
        logger.warning("reminders: %s sends stopped mid-call; marked unknown, not repeated", unknown)
    released = 0
    if not quiet_until(now):
        due = list(
            ChannelDelivery.objects.filter(status=Status.HELD, not_before__lte=now)
            .order_by("pk")
            .values_list("pk", "notification_id")[:limit]
        )
        for start in range(0, len(due), 1000):
            chunk = due[start : start + 1000]
            with transaction.atomic():
                released += ChannelDelivery.objects.filter(pk__in=[pk for pk, _n in chunk], status=Status.HELD).update(
                    status=Status.QUEUED, not_before=None, updated_at=now
                )
                queue_sends([note_id for _pk, note_id in chunk])
    return {"unknown": unknown, "released": released}


def email_deliveries_mark_sent(notification_ids) -> None:
    """E-mail rows follow the notification's own stamp (``emailed_at``, the Message-ID rule)."""
    ChannelDelivery.objects.filter(notification_id__in=list(notification_ids), channel=EMAIL).exclude(
        status=Status.SENT
    ).update(status=Status.SENT, finished_at=timezone.now(), updated_at=timezone.now(), started_at=F("created_at"))
