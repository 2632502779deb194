"""Reminders fitted to each channel's rules.

WeChat template and subscription messages take short fields — at most 20 characters each, no
colour and no remark line — so a message names the kind, the record and the time, and links to
the full text in the portal (the notification page, which marks it read). SMS notices fill one
approved template per kind with the same short fields.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .. import kinds

FIELD_MAX = 20


def fit(text, limit: int = FIELD_MAX) -> str:
    """One line of at most ``limit`` characters (cut with an ellipsis)."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def full_text_url(notification) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reminders:open", args=[notification.pk])


def wechat_fields(notification) -> dict[str, str]:
    """The template's keywords: the reminder, its kind, when (each ≤ 20 characters)."""
    return {
        "thing1": fit(notification.title),
        "thing2": fit(kinds.label(notification.kind)),
        "time3": timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M"),
    }


def sms_params(notification) -> dict[str, str]:
    """The SMS template's variables: the reminder (≤ 20 characters) and the link to its full text."""
    return {"title": fit(notification.title), "link": full_text_url(notification)}


def mini_page(notification) -> str:
    return f"{settings.WECHAT_MINI_NOTIFICATION_PAGE}?id={notification.pk}"
