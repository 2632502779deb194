"""The senders of the outside channels, behind one interface: ``send(delivery) -> SendResult``.

``settings.REMINDER_WECHAT_SENDER`` names the WeChat sender: ``ConsoleWeChatSender`` (the default:
logs and keeps an ``outbox`` for tests) or ``WeChatApiSender`` (the 公众号's template messages and
the mini-program's 订阅消息 through ``apps.accounts.wechat``). SMS notices go through the existing
SMS backend (``settings.SMS_BACKEND``: console by default, Aliyun in production), one approved
template per kind (``REMINDER_SMS_TEMPLATES``).

An outcome is one of: ``sent``; ``refused`` (definitely not sent: the next channel is tried);
``capped`` (the provider's daily cap for the number and template: the next channel); ``unknown``
(the request went out, no answer: never repeated, no other channel).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from . import messages

logger = logging.getLogger(__name__)

SENT, REFUSED, CAPPED, UNKNOWN = "sent", "refused", "capped", "unknown"


@dataclass(frozen=True)
class SendResult:
    outcome: str
    ref: str = ""
    error: str = ""


class ChannelSender:
    channel = ""
    console = False

    def template_for(self, kind: str, app: str = "") -> str:
        return ""

    def send(self, delivery) -> SendResult:
        raise NotImplementedError


def _wechat_templates(app: str) -> dict[str, str]:
    return settings.WECHAT_MP_TEMPLATES if app == "mp" else settings.WECHAT_MINI_TEMPLATES


class ConsoleWeChatSender(ChannelSender):
    """Sends nothing: logs the fitted message and keeps the last 1,000 in ``outbox``."""

    channel = "wechat"
    console = True
    outbox: deque[dict] = deque(maxlen=1000)

    def template_for(self, kind: str, app: str = "") -> str:
        return _wechat_templates(app).get(kind, "") or f"console-{kind}"

    def send(self, delivery) -> SendResult:
        app, openid = delivery.address.split(":", 1)
        note = delivery.notification
        self.outbox.append(
            {
                "app": app,
                "openid": openid,
                "template": delivery.template,
                "data": messages.wechat_fields(note),
                "url": messages.full_text_url(note),
                "notification": note.pk,
            }
        )
        logger.info("WeChat (%s) to %s: %s", app, openid, note.title)
        return SendResult(SENT, ref=f"console-{len(self.outbox)}")


class WeChatApiSender(ChannelSender):
    """The 公众号 (template message with a link) or the mini-program (订阅消息 with a page)."""

    channel = "wechat"

    def template_for(self, kind: str, app: str = "") -> str:
        return _wechat_templates(app).get(kind, "")

    def send(self, delivery) -> SendResult:
        from apps.accounts import wechat

        app, openid = delivery.address.split(":", 1)
        note = delivery.notification
        if not delivery.template:
            return SendResult(REFUSED, error=f"no WeChat {app} template for {note.kind}")
        try:
            if app == wechat.MP:
                ref = wechat.send_template(
                    openid, delivery.template, messages.wechat_fields(note), messages.full_text_url(note)
                )
            else:
                ref = wechat.send_subscribe(
                    openid, delivery.template, messages.wechat_fields(note), messages.mini_page(note)
                )
        except wechat.WeChatRefused as exc:
            if exc.errcode in (43004, 43101):  # not following / did not accept: no live subscription now
                from apps.accounts.wechat_models import WeChatBinding

                WeChatBinding.objects.filter(app=app, openid=openid).update(subscribed=False)
            if exc.errcode == 45047:  # too many messages to this person: as a provider cap
                return SendResult(CAPPED, error=str(exc))
            return SendResult(REFUSED, error=str(exc))
        except wechat.WeChatUnknown as exc:
            return SendResult(UNKNOWN, error=str(exc))
        return SendResult(SENT, ref=ref)


class SmsNoticeSender(ChannelSender):
    """SMS notices through the SMS backend the sign-in codes use."""

    channel = "sms"

    @property
    def console(self):
        return settings.SMS_BACKEND.endswith("ConsoleSmsBackend")

    def template_for(self, kind: str, app: str = "") -> str:
        return settings.REMINDER_SMS_TEMPLATES.get(kind, "") or (f"console-{kind}" if self.console else "")

    def send(self, delivery) -> SendResult:
        from apps.accounts import sms

        note = delivery.notification
        if not delivery.template:
            return SendResult(REFUSED, error=f"no SMS template for {note.kind}")
        try:
            ref = sms.get_sms_backend().send_notice(delivery.address, delivery.template, messages.sms_params(note))
        except sms.SmsCapped as exc:
            return SendResult(CAPPED, error=str(exc))
        except sms.SmsRefused as exc:
            return SendResult(REFUSED, error=str(exc))
        except sms.SmsError as exc:
            return SendResult(UNKNOWN, error=str(exc))
        return SendResult(SENT, ref=ref)


def sender_for(channel: str) -> ChannelSender:
    if channel == "wechat":
        return import_string(settings.REMINDER_WECHAT_SENDER)()
    if channel == "sms":
        return SmsNoticeSender()
    raise ValueError(channel)
