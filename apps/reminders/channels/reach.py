"""Which outside channels a person has, and the plan of channels one reminder tries in order.

A person's channels: WeChat (an openid bound with a live subscription), SMS (a proven mobile
number), e-mail (an address). A kind allows some of them; the person switches each off per kind.
The plan is their intersection in the order WeChat → SMS → e-mail; the first is used and only a
definite refusal moves a reminder on to the next. A channel switched off in settings is absent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from .. import kinds
from ..models import Channel, Delivery

WECHAT, SMS, EMAIL = Channel.WECHAT.value, Channel.SMS.value, Channel.EMAIL.value


def channel_enabled(channel: str) -> bool:
    if channel == WECHAT:
        return settings.REMINDER_WECHAT_ENABLED
    if channel == SMS:
        return settings.REMINDER_SMS_ENABLED
    return True


@dataclass(frozen=True)
class Choice:
    """A person's choice for one kind (no row: every channel on, e-mail immediately)."""

    delivery: str = Delivery.IMMEDIATE
    wechat: bool = True
    sms: bool = True

    def allows(self, channel: str) -> bool:
        if channel == WECHAT:
            return self.wechat
        if channel == SMS:
            return self.sms
        return self.delivery != Delivery.OFF


DEFAULT_CHOICE = Choice()


def addresses_of(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """user id -> {channel: address} for active people: "mp:<openid>" or "mini:<openid>", the
    proven mobile number, the e-mail address. One query per channel kind."""
    from django.contrib.auth import get_user_model

    from apps.accounts.wechat_models import WeChatBinding

    ids = list(user_ids)
    found: dict[int, dict[str, str]] = {}
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .values_list("pk", "email", "phone", "phone_verified")
    )
    for pk, email, phone, verified in rows:
        found[pk] = {}
        if email:
            found[pk][EMAIL] = email
        if phone and verified and channel_enabled(SMS):
            found[pk][SMS] = phone
    if channel_enabled(WECHAT):
        bindings = (
            WeChatBinding.objects.filter(user_id__in=list(found), subscribed=True)
            .order_by("user_id", "-app")  # "mp" (公众号) before "mini"
            .values_list("user_id", "app", "openid")
        )
        for user_id, app, openid in bindings:
            found[user_id].setdefault(WECHAT, f"{app}:{openid}")
    return found


def plan(kind: str, addresses: dict[str, str], choice: Choice = DEFAULT_CHOICE) -> list[str]:
    """The outside channels one reminder of ``kind`` tries, in order (empty: in-site only)."""
    return [c for c in kinds.channels_of(kind) if c in addresses and choice.allows(c)]


def person_channels(user) -> list[str]:
    """The outside channels this person has now (for the settings page)."""
    have = addresses_of([user.pk]).get(user.pk, {})
    return [c for c in (WECHAT, SMS, EMAIL) if c in have]
