import datetime
import logging
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.personal import personal_changed

from .deliveries import email_deliveries_mark_sent
from .emails import digest_email, notification_email
from .models import ChannelDelivery, Delivery, Notification, NotificationDigest, NotificationPreference

logger = logging.getLogger(__name__)


# Recipients are read, checked and inserted this many at a time: memory and query count per
# batch stay flat however large the audience.
BATCH_SIZE = 1000


def _user_id_batches(users) -> Iterator[list[int]]:
    """Stream user ids in batches from a queryset (never loaded whole) or any iterable."""
    if isinstance(users, QuerySet):
        source: Iterable = users.values_list("pk", flat=True).order_by("pk").iterator(chunk_size=BATCH_SIZE)
    else:
        source = (getattr(user, "pk", user) for user in users)
    batch: list[int] = []
    for user_id in source:
        batch.append(user_id)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


# Rows per INSERT statement: well under SQLite's and PostgreSQL's bound-parameter limits.
_ROWS_PER_INSERT = 1000


def _insert_new(rows: list[tuple]) -> list[tuple[int, int, bool]]:
    """Insert notifications, skipping (user, key) pairs already there, in one statement per chunk.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, SQLite ≥ 3.35): the database
    decides which rows are new, so concurrent fan-outs of one key never both count a person.
    Returns (id, email_wanted, delivery, user_id) of the rows created now.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ["created_at", "updated_at", "user_id", "kind", "key", "title", "body", "url", "email_wanted", "delivery"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    created = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES {values} "
                f'ON CONFLICT ("user_id", "key") DO NOTHING RETURNING "id", "email_wanted", "delivery", "user_id"',
                params,
            )
            created.extend((pk, bool(wanted), delivery, user_id) for pk, wanted, delivery, user_id in cursor.fetchall())
    return created


def notify_all(users, *, kind: str, key: str, title: str, body: str = "", url: str = "") -> int:
    """Deliver one reminder to a set of people, in-site and on one outside channel, at most once per (user, key).

    ``users`` is a queryset (streamed in batches, never loaded whole), or users or ids. Each person
    gets it in the inbox and on the first channel of their plan for this kind (WeChat → SMS →
    e-mail, see ``deliveries``): one delivery row per (notification, channel). Per batch: one query
    for those already told, a few for addresses and choices, one insert per 1,000 notifications
    that skips pairs already in the database, one for the delivery rows, one e-mail task and one
    SMS/WeChat task through the outbox. The unique constraints decide "once": a re-run, a retried
    task or a concurrent fan-out adds nothing. Returns how many people were told now.
    """
    from .channels.reach import EMAIL, addresses_of, plan
    from .deliveries import DEFAULT_CHOICE, choices_of, new_delivery, queue_sends, quiet_until

    title, body = str(title)[:200], str(body)
    told = 0
    for ids in _user_id_batches(users):
        ids = list(dict.fromkeys(ids))
        with transaction.atomic():
            already = set(Notification.objects.filter(key=key, user_id__in=ids).values_list("user_id", flat=True))
            fresh = [user_id for user_id in ids if user_id not in already]
            if not fresh:
                continue
            addresses = addresses_of(fresh)
            chosen = choices_of(addresses, kind)
            now = timezone.now()
            rows, first = [], {}
            for user_id in fresh:
                if user_id not in addresses:
                    continue  # not an active account
                choice = chosen.get(user_id, DEFAULT_CHOICE)
                channels = plan(kind, addresses[user_id], choice)
                first[user_id] = channels[0] if channels else None
                wanted = first[user_id] == EMAIL
                rows.append((now, now, user_id, kind, key, title, body, url, wanted, choice.delivery))
            created = _insert_new(rows)
            told += len(created)
            personal_changed(fresh)  # the bell's count of each (apps/core/personal.py)
            held = quiet_until(now)
            deliveries, message_ids, mail_ids = [], [], []
            for pk, wanted, delivery, user_id in created:
                channel = first.get(user_id)
                if channel is None:
                    continue  # in-site only
                deliveries.append(new_delivery(pk, kind, channel, addresses[user_id][channel], now, held))
                if channel != EMAIL and not held:
                    message_ids.append(pk)
                elif wanted and delivery == Delivery.IMMEDIATE:
                    mail_ids.append(pk)
            ChannelDelivery.objects.bulk_create(deliveries, batch_size=_ROWS_PER_INSERT)
            # Immediate e-mails and SMS/WeChat go now, one task each per batch; digests are
            # gathered by digests_send, held messages by the sweep after the quiet hours.
            if mail_ids:
                from .outbox import enqueue
                from .tasks import notification_emails_send

                enqueue(notification_emails_send, mail_ids)
            queue_sends(message_ids)
    return told


def notification_send(
    *, user, key: str, title: str, body: str = "", url: str = "", kind: str = "general"
) -> Notification | None:
    """One person's reminder (``notify_all`` of one); the new notification, or None if already sent."""
    if not notify_all([user], kind=kind, key=key, title=title, body=body, url=url):
        return None
    return Notification.objects.filter(user=user, key=key).first()


def notification_emails_deliver(*, notification_ids: list[int]) -> int:
    """Send the immediate e-mails of some notifications over one SMTP connection; each at most once.

    The rows are locked while their messages go out (a concurrent worker waits, then finds them
    stamped) and stamped ``emailed_at`` in the same transaction, so a retry sends only what is
    still unsent. A worker killed mid-send leaves them unstamped: the retry sends them again,
    with the same Message-ID.
    """
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk__in=notification_ids, email_wanted=True, emailed_at__isnull=True)
            .exclude(user__email="")
            .order_by("pk")
        )
        if not pending:
            return 0
        with get_connection() as smtp:
            smtp.send_messages([notification_email(notification) for notification in pending])
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
        email_deliveries_mark_sent([n.pk for n in pending])
    return len(pending)


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send the e-mail of one notification unless it was sent already; True if sent now."""
    return notification_emails_deliver(notification_ids=[notification_id]) == 1


def digest_period(mode: str, today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The period a digest sent on ``today`` covers: yesterday, or last Monday-to-Sunday week."""
    tz = timezone.get_current_timezone()
    if mode == Delivery.DAILY:
        start = today - datetime.timedelta(days=1)
        end = today
    else:
        end = today - datetime.timedelta(days=today.weekday())
        start = end - datetime.timedelta(days=7)
    as_dt = lambda day: timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)  # noqa: E731
    return as_dt(start), as_dt(end)


def digests_send(*, mode: str, today: datetime.date | None = None) -> int:
    """Send each person one e-mail gathering their reminders of the period (daily or weekly), once.

    A digest row per (person, mode, period start) is unique, so a second run, a retried task or
    a second beat finds it sent; a digest holds exactly the period's unsent reminders of the kinds
    the person chose to receive that way. People are taken a batch at a time over one SMTP
    connection per batch.
    """
    if mode not in (Delivery.DAILY, Delivery.WEEKLY):
        raise ValueError(mode)
    today = today or timezone.localdate()
    start, end = digest_period(mode, today)
    due = Notification.objects.filter(
        delivery=mode, email_wanted=True, emailed_at__isnull=True, created_at__gte=start, created_at__lt=end
    )
    user_ids = due.values_list("user_id", flat=True).distinct().order_by("user_id")
    sent = 0
    for batch in _user_id_batches(list(user_ids)):
        with transaction.atomic():
            rows = list(
                due.filter(user_id__in=batch)
                .select_for_update(of=("self",))
                .select_related("user")
                .order_by("user_id", "created_at", "pk")
            )
            by_user: dict[int, list[Notification]] = {}
            for row in rows:
                by_user.setdefault(row.user_id, []).append(row)
            existing = set(
                NotificationDigest.objects.filter(
                    user_id__in=by_user, mode=mode, period_start=start, sent_at__isnull=False
                ).values_list("user_id", flat=True)
            )
            now = timezone.now()
            messages, stamped = [], []
            for user_id, notes in by_user.items():
                if user_id in existing or not notes[0].user.email:
                    continue
                digest, _created = NotificationDigest.objects.get_or_create(
                    user_id=user_id, mode=mode, period_start=start, defaults={"period_end": end}
                )
                messages.append(digest_email(digest, notes))
                digest.sent_at = now
                stamped.append((digest, notes))
            if not messages:
                continue
            with get_connection() as smtp:
                smtp.send_messages(messages)
            for digest, notes in stamped:
                digest.save(update_fields=["sent_at", "updated_at"])
                Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now, digest=digest)
                email_deliveries_mark_sent([n.pk for n in notes])
            sent += len(messages)
    return sent


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark some (or all) of a person's notifications read; others' ids are ignored."""
    qs = Notification.objects.for_user(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    marked = qs.update(read_at=timezone.now())
    personal_changed([user])  # the bell's count (apps/core/personal.py), once the rows are read
    return marked


def preference_set(*, user, kind: str, delivery: str) -> NotificationPreference:
    """A person's choice of e-mail for one kind: immediately, a daily or weekly digest, or none."""
    if delivery not in Delivery.values:
        raise ValidationError(_("请选择有效的邮件方式。"))
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return pref
