"""Sending text messages (sign-in and sign-up codes) behind one small interface.

``settings.SMS_BACKEND`` names the sender class. The default, ``ConsoleSmsBackend``, writes the
message to the log and keeps it in ``outbox`` so development and tests need no provider.
``AliyunSmsBackend`` sends through Alibaba Cloud SMS (短信服务, Dysms) and is configured by
settings only — see README, "Sign-in with a mobile number".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import deque
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or failed to send a message."""


class SmsRefused(SmsError):
    """The provider definitely did not send it (an error answer, or it could not be reached)."""


class SmsCapped(SmsRefused):
    """The provider's daily cap for this number and template is reached (Aliyun: 50 a day)."""


class SmsUnknown(SmsError):
    """The request went out and no usable answer came back: it may have been sent."""


# Aliyun's answers meaning "this number has had enough of this template today/this hour".
ALIYUN_CAP_CODES = {"isv.DAY_LIMIT_CONTROL", "isv.BUSINESS_LIMIT_CONTROL"}


class BaseSmsBackend:
    """A sender of verification codes; subclasses implement ``send_code``."""

    def send_code(self, phone: str, code: str) -> None:
        raise NotImplementedError

    def send_notice(self, phone: str, template_code: str, params: dict[str, str]) -> str:
        """A reminder (an approved notice template per kind); returns the provider's id.
        Raises :class:`SmsRefused` / :class:`SmsCapped` (not sent) or :class:`SmsUnknown`."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints and logs the message instead of sending it; ``outbox`` keeps the last 100 for tests."""

    outbox: deque[dict] = deque(maxlen=100)  # bounded: a long-running dev server must not grow forever

    def send_code(self, phone: str, code: str) -> None:
        minutes = max(1, settings.ACCOUNT_PHONE_VERIFICATION_TIMEOUT // 60)
        text = _("【%(site)s】您的验证码是 %(code)s，%(minutes)s 分钟内有效，请勿告诉他人。") % {
            "site": settings.SITE_NAME,
            "code": code,
            "minutes": minutes,
        }
        self.outbox.append({"phone": phone, "code": code, "text": text})
        logger.info("SMS to %s: %s", phone, text)
        print(f"SMS to {phone}: {text}", flush=True)  # noqa: T201 - the console backend's whole job

    def send_notice(self, phone: str, template_code: str, params: dict[str, str]) -> str:
        text = f"【{settings.SITE_NAME}】" + " ".join(str(v) for v in params.values())
        self.outbox.append({"phone": phone, "template": template_code, "params": dict(params), "text": text})
        logger.info("SMS notice to %s (%s): %s", phone, template_code, text)
        return f"console-{len(self.outbox)}"


class AliyunSmsBackend(BaseSmsBackend):
    """Alibaba Cloud SMS (dysmsapi, API version 2017-05-25), signed per its RPC signature v1.

    The template (set up in the Aliyun console) must take one variable, ``${code}``.
    """

    def __init__(self):
        self.endpoint = getattr(settings, "SMS_ALIYUN_ENDPOINT", "") or "https://dysmsapi.aliyuncs.com/"
        self.access_key_id = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_ID", "")
        self.access_key_secret = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_SECRET", "")
        self.sign_name = getattr(settings, "SMS_ALIYUN_SIGN_NAME", "")
        self.template_code = getattr(settings, "SMS_ALIYUN_TEMPLATE_CODE", "")
        missing = [
            name
            for name, value in [
                ("SMS_ALIYUN_ACCESS_KEY_ID", self.access_key_id),
                ("SMS_ALIYUN_ACCESS_KEY_SECRET", self.access_key_secret),
                ("SMS_ALIYUN_SIGN_NAME", self.sign_name),
                ("SMS_ALIYUN_TEMPLATE_CODE", self.template_code),
            ]
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"AliyunSmsBackend needs {', '.join(missing)}")

    @staticmethod
    def _quote(value: str) -> str:
        return urllib.parse.quote(value, safe="~")

    def signed_query(self, params: dict[str, str]) -> str:
        """The query string with ``Signature`` added (HMAC-SHA1 over the canonical request)."""
        canonical = "&".join(f"{self._quote(k)}={self._quote(v)}" for k, v in sorted(params.items()))
        string_to_sign = "GET&%2F&" + self._quote(canonical)
        digest = hmac.new(f"{self.access_key_secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
        signature = base64.b64encode(digest).decode()
        return f"Signature={self._quote(signature)}&{canonical}"

    def send_code(self, phone: str, code: str) -> None:
        self._send(phone, self.template_code, {"code": code})

    def send_notice(self, phone: str, template_code: str, params: dict[str, str]) -> str:
        return self._send(phone, template_code, params)

    def _send(self, phone: str, template_code: str, template_params: dict) -> str:
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(template_params, ensure_ascii=False),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        url = f"{self.endpoint}?{self.signed_query(params)}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - configured https endpoint
                body = json.loads(response.read().decode())
        except urllib.error.HTTPError as exc:
            raise SmsRefused(f"Aliyun SMS answered HTTP {exc.code}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ConnectionRefusedError):
                raise SmsRefused(f"Aliyun SMS unreachable: {exc.reason}") from exc
            raise SmsUnknown(f"Aliyun SMS gave no answer: {exc.reason}") from exc
        except (OSError, ValueError) as exc:
            # A code that may have gone can simply be asked for again; a notice is never repeated.
            raise SmsUnknown(f"Aliyun SMS gave no usable answer: {exc}") from exc
        if body.get("Code") in ALIYUN_CAP_CODES:
            raise SmsCapped(f"Aliyun SMS cap: {body.get('Code')} {body.get('Message')}")
        if body.get("Code") != "OK":
            raise SmsRefused(f"Aliyun SMS refused: {body.get('Code')} {body.get('Message')}")
        return str(body.get("BizId", ""))


def get_sms_backend() -> BaseSmsBackend:
    """The configured sender (``settings.SMS_BACKEND``)."""
    return import_string(getattr(settings, "SMS_BACKEND", "apps.accounts.sms.ConsoleSmsBackend"))()


def send_verification_code(phone: str, code: str) -> None:
    """Send a sign-in or sign-up code to ``phone`` with the configured backend."""
    get_sms_backend().send_code(phone, code)
