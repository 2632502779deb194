"""Production refuses to start with a channel switched on and a sender that only logs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def load_production(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REMINDER_", "SMS_"))}
    base.update(SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example", **env)
    return subprocess.run(
        [sys.executable, "-c", "import union_portal.settings.production"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_a_console_sender_for_a_channel_switched_on():
    wechat = load_production(REMINDER_WECHAT_ENABLED="true")
    assert wechat.returncode != 0 and "REMINDER_WECHAT_SENDER" in wechat.stderr
    sms = load_production(REMINDER_SMS_ENABLED="true")
    assert sms.returncode != 0 and "SMS_BACKEND" in sms.stderr


def test_production_starts_with_real_senders_or_with_the_channels_off():
    assert load_production().returncode == 0
    real = load_production(
        REMINDER_WECHAT_ENABLED="true",
        REMINDER_WECHAT_SENDER="apps.reminders.channels.senders.WeChatApiSender",
        REMINDER_SMS_ENABLED="true",
        SMS_BACKEND="apps.accounts.sms.AliyunSmsBackend",
    )
    assert real.returncode == 0, real.stderr
