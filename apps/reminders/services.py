import logging
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


# Recipients are read, checked and inserted this many at a time: memory and query count per
# batch stay flat however large the audience.
BATCH_SIZE = 1000


def email_enabled(*, user, kind: str) -> bool:
    """Whether this person wants e-mail for this kind (on unless switched off)."""
    if not user.email:
        return False
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return True if pref is None else pref.email


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
_ROWS_PER_INSERT = 500


def _insert_new(rows: list[tuple]) -> list[tuple[int, int, bool]]:
    """Insert notifications, skipping (user, key) pairs already there, in one statement per chunk.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, SQLite ≥ 3.35): the database
    decides which rows are new, so concurrent fan-outs of one key never both count a person.
    Returns (id, user_id, email_wanted) of the rows created now.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ["created_at", "updated_at", "user_id", "kind", "key", "title", "body", "url", "email_wanted"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    created = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES {values} "
                f'ON CONFLICT ("user_id", "key") DO NOTHING RETURNING "id", "user_id", "email_wanted"',
                params,
            )
            created.extend((pk, user_id, bool(wanted)) for pk, user_id, wanted in cursor.fetchall())
    return created


def notify_all(users, *, kind: str, key: str, title: str, body: str = "", url: str = "") -> int:
    """Deliver one reminder to a set of people, in-site and by e-mail, at most once per (user, key).

    ``users`` is a queryset (streamed in batches, never loaded whole), or users or ids. Per
    batch: one query for those already told, one for addresses and preferences, one insert per
    500 rows that skips pairs already in the database, and one e-mail task. The unique
    constraint decides "once": a re-run, a retried task or a concurrent fan-out adds nothing.
    Returns how many people were told now.
    """
    from django.contrib.auth import get_user_model

    User = get_user_model()
    title, body = str(title)[:200], str(body)
    told = 0
    for ids in _user_id_batches(users):
        ids = list(dict.fromkeys(ids))
        with transaction.atomic():
            already = set(Notification.objects.filter(key=key, user_id__in=ids).values_list("user_id", flat=True))
            fresh = [user_id for user_id in ids if user_id not in already]
            if not fresh:
                continue
            emails = dict(User.objects.filter(pk__in=fresh, is_active=True).values_list("pk", "email"))
            opted_out = set(
                NotificationPreference.objects.filter(user_id__in=fresh, kind=kind, email=False).values_list(
                    "user_id", flat=True
                )
            )
            now = timezone.now()
            rows = [
                (now, now, user_id, kind, key, title, body, url, bool(emails[user_id]) and user_id not in opted_out)
                for user_id in fresh
                if user_id in emails
            ]
            created = _insert_new(rows)
            told += len(created)
            mail_ids = [pk for pk, _user_id, wanted in created if wanted]
            if mail_ids:
                from .tasks import notification_emails_send

                transaction.on_commit(lambda mail_ids=mail_ids: notification_emails_send.delay(mail_ids))
    return told


def notification_send(
    *, user, key: str, title: str, body: str = "", url: str = "", kind: str = "general"
) -> Notification | None:
    """One person's reminder (``notify_all`` of one); the new notification, or None if already sent."""
    if not notify_all([user], kind=kind, key=key, title=title, body=body, url=url):
        return None
    return Notification.objects.filter(user=user, key=key).first()


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send the e-mail of one notification unless it was sent already; True if sent now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or not notification.email_wanted or notification.emailed_at is not None:
            return False
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
        send_mail(
            subject=f"【{settings.SITE_NAME}】{notification.title}",
            message=_("%(name)s，您好：") % {"name": notification.user.display_name} + f"\n\n{notification.body}{link}",
            from_email=None,
            recipient_list=[notification.user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "updated_at"])
    return True


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark some (or all) of a person's notifications read; others' ids are ignored."""
    qs = Notification.objects.for_user(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def preference_set(*, user, kind: str, email: bool) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
    return pref
