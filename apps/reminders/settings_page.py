"""The reminder settings of ``/me/``: per kind the person can receive, the outside channels they
have and the kind allows (WeChat, SMS: on/off; e-mail: immediately, a digest or none)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import kinds
from .channels.reach import EMAIL, SMS, WECHAT, Choice, person_channels
from .models import Delivery, NotificationPreference

CHANNEL_LABELS = {WECHAT: _("微信"), SMS: _("短信"), EMAIL: _("邮件")}


@dataclass
class KindRow:
    kind: str
    label: object
    choice: Choice
    channels: list[str] = field(default_factory=list)  # the outside channels offered for this kind

    @property
    def offers_wechat(self):
        return WECHAT in self.channels

    @property
    def offers_sms(self):
        return SMS in self.channels

    @property
    def offers_email(self):
        return EMAIL in self.channels


def settings_rows(user) -> tuple[list[str], list[KindRow]]:
    """The person's channels, and one row per kind they can receive (labels in declared order)."""
    have = person_channels(user)
    saved = {
        kind: Choice(delivery, wechat, sms)
        for kind, delivery, wechat, sms in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "delivery", "wechat", "sms"
        )
    }
    rows = []
    for key, kind in kinds.kinds_for(user).items():
        offered = [channel for channel in kinds.channels_of(key) if channel in have]
        rows.append(KindRow(key, kind.label, saved.get(key, Choice()), offered))
    return have, rows


def settings_save(user, data) -> bool:
    """Save the posted choices of the kinds shown; a control not shown keeps its value. False when
    a posted e-mail choice is not one of the offered values (nothing is saved then)."""
    _have, rows = settings_rows(user)
    with transaction.atomic():
        for row in rows:
            delivery = row.choice.delivery
            if row.offers_email:
                delivery = data.get(f"delivery-{row.kind}", delivery)
                if delivery not in Delivery.values:
                    transaction.set_rollback(True)
                    return False
            wechat = bool(data.get(f"wechat-{row.kind}")) if row.offers_wechat else row.choice.wechat
            sms = bool(data.get(f"sms-{row.kind}")) if row.offers_sms else row.choice.sms
            if Choice(delivery, wechat, sms) == row.choice:
                continue
            NotificationPreference.objects.update_or_create(
                user=user, kind=row.kind, defaults={"delivery": delivery, "wechat": wechat, "sms": sms}
            )
    return True
