import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def email_enabled(*, user, kind: str) -> bool:
    """Whether this person wants e-mail for this kind (on unless switched off)."""
    if not user.email:
        return False
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return True if pref is None else pref.email


def notification_send(
    *, user, key: str, title: str, body: str = "", url: str = "", kind: str = "general"
) -> Notification | None:
    """Deliver a reminder in-site (and by e-mail if wanted) at most once per (user, key).

    Returns the new notification, or None when this key was already sent to this user —
    whether by an earlier run, a retried task or a concurrent worker: the unique constraint
    decides, not a check in Python.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                key=key,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                email_wanted=email_enabled(user=user, kind=kind),
            )
    except IntegrityError:
        return None
    if notification.email_wanted:
        from .tasks import notification_email_send

        transaction.on_commit(lambda: notification_email_send.delay(notification.pk))
    return notification


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
