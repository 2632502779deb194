"""The e-mails of reminders: a plain part and an HTML part, the same Message-ID on every attempt
(receivers drop a copy: e-mail is at least once), ``Auto-Submitted: auto-generated`` (no
auto-replies), and ``List-Unsubscribe`` with one-click POST (RFC 8058) to a signed link that
switches off the e-mail of that kind (or of the digest's kinds) without signing in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import kinds
from .models import Delivery

UNSUBSCRIBE_SALT = "reminders.unsubscribe"


def unsubscribe_token(user_id: int, kind_keys: list[str]) -> str:
    return signing.dumps({"u": user_id, "k": sorted(set(kind_keys))}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _headers(message_id: str, user_id: int, kind_keys: list[str]) -> dict[str, str]:
    link = _site() + reverse("reminders:unsubscribe", args=[unsubscribe_token(user_id, kind_keys)])
    return {
        "Message-ID": message_id,
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.SITE_NAME} <reminders.{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
    }


def message_id(notification) -> str:
    """The same Message-ID for every attempt at one notification's e-mail, so a mail system that
    receives it twice (a worker killed after the SMTP server accepted it) drops the copy."""
    return f"<notification-{notification.pk}.{notification.user_id}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def notification_email(notification) -> EmailMultiAlternatives:
    user = notification.user
    context = {
        "name": user.display_name,
        "title": notification.title,
        "body": notification.body,
        "kind_label": kinds.label(notification.kind),
        "link": _site() + reverse("reminders:open", args=[notification.pk]),
        "settings_link": _site() + reverse("reminders:preferences"),
        "site_name": settings.SITE_NAME,
        "created_at": timezone.localtime(notification.created_at),
    }
    message = EmailMultiAlternatives(
        subject=f"【{settings.SITE_NAME}】{notification.title}",
        body=render_to_string("reminders/email/notification.txt", context),
        to=[user.email],
        headers=_headers(message_id(notification), user.pk, [notification.kind]),
    )
    message.attach_alternative(render_to_string("reminders/email/notification.html", context), "text/html")
    return message


def digest_email(digest, notes) -> EmailMultiAlternatives:
    user = notes[0].user
    label = _("每日汇总") if digest.mode == Delivery.DAILY else _("每周汇总")
    context = {
        "name": user.display_name,
        "label": label,
        "items": [
            {
                "at": timezone.localtime(n.created_at),
                "title": n.title,
                "kind_label": kinds.label(n.kind),
                "link": _site() + reverse("reminders:open", args=[n.pk]),
            }
            for n in notes
        ],
        "settings_link": _site() + reverse("reminders:preferences"),
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"【{settings.SITE_NAME}】{label}：" + _("%(n)s 条提醒") % {"n": len(notes)},
        body=render_to_string("reminders/email/digest.txt", context),
        to=[user.email],
        headers=_headers(f"<digest-{digest.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>", user.pk, [n.kind for n in notes]),
    )
    message.attach_alternative(render_to_string("reminders/email/digest.html", context), "text/html")
    return message
