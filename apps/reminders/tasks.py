from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from .models import Notification
from .services import digests_send, notification_email_deliver, notification_emails_deliver

# Mail tasks retry with exponential backoff on mail-server and network errors; each is safe to
# repeat (what was sent is stamped under a row lock), so a retry never sends twice.
MAIL_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**MAIL_RETRY)
def notification_email_send(notification_id: int) -> bool:
    """Send one notification's e-mail (idempotent; retried with backoff on mail errors)."""
    return notification_email_deliver(notification_id=notification_id)


@shared_task(**MAIL_RETRY)
def notification_emails_send(notification_ids: list[int]) -> int:
    """Send the e-mails of one fan-out batch; each is skipped if already sent, so a retry is safe."""
    return notification_emails_deliver(notification_ids=notification_ids)


@shared_task(**MAIL_RETRY)
def digests_send_task(mode: str) -> int:
    """Daily or weekly: each person's digest of the period's reminders (once per period)."""
    return digests_send(mode=mode)


@shared_task
def notifications_purge_old(days: int = 365) -> int:
    """Delete read notifications older than a year."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return deleted


@shared_task
def outbox_relay() -> int:
    """Every minute: hand the broker every queued task that is still waiting (after an outage)."""
    from .outbox import redeliver_lost, relay_pending

    return relay_pending() + redeliver_lost()


@shared_task
def channel_deliveries_send(notification_ids: list[int]) -> int:
    """Send one batch's SMS/WeChat reminders, each at most once (a retry or a second hand-over
    finds them claimed). Inside a transaction (the eager relay) it waits for the commit, so each
    claim is committed before its provider call."""
    from django.db import connection, transaction

    from .deliveries import deliveries_send

    if connection.in_atomic_block:
        transaction.on_commit(lambda: deliveries_send(notification_ids=notification_ids))
        return 0
    return deliveries_send(notification_ids=notification_ids)


@shared_task
def channel_deliveries_sweep() -> dict:
    """Every few minutes: stopped sends become unknown; held ones go out after the quiet hours."""
    from .deliveries import deliveries_sweep

    return deliveries_sweep()
