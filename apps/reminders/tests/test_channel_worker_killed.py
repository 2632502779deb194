"""A worker killed mid-call to WeChat: the provider got the request, the portal never heard back.
The claim was committed before the call, so the row stays "sending"; the sweep marks it
unknown, and no retry, redelivery or fallback sends it again (at most once)."""

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.accounts.wechat_models import WeChatBinding
from apps.reminders.deliveries import deliveries_send, deliveries_sweep
from apps.reminders.models import ChannelDelivery, Notification
from conftest import require_service, test_database_url

from .fake_providers import provider_settings
from .test_channels import fake  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
S = ChannelDelivery.Status

WORKER = """
import django
django.setup()
from apps.reminders.deliveries import deliveries_send
deliveries_send(notification_ids=[{pk}])
"""


def as_env(values: dict) -> dict:
    return {k: ",".join(f"{a}={b}" for a, b in v.items()) if isinstance(v, dict) else str(v) for k, v in values.items()}


def test_a_worker_killed_mid_call_leaves_an_unknown_send_that_is_never_repeated(fake):  # noqa: F811
    require_service("PostgreSQL", connection.vendor == "postgresql", "a worker process shares the test database")
    user = UserFactory()
    WeChatBinding.objects.create(user=user, app="mp", openid="o-killed", subscribed=True)
    note = Notification.objects.create(user=user, key="killed", kind="general", title="明天8:00体检，请空腹")
    ChannelDelivery.objects.create(notification=note, channel="wechat", address="mp:o-killed", template="mp-general")
    fake.mode["wechat"] = "hold"  # WeChat takes the request and the worker dies waiting for the answer
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **as_env(provider_settings(fake.url)),
        "DJANGO_SETTINGS_MODULE": "union_portal.settings.test",
        "DATABASE_URL": test_database_url(),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(pk=note.pk)], cwd=ROOT, env=env, start_new_session=True
    )
    try:
        assert fake.received.wait(60), "the worker never called WeChat"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    fake.release.set()
    fake.mode["wechat"] = "ok"
    row = ChannelDelivery.objects.get(notification=note)
    assert row.status == S.SENDING and row.started_at is not None  # the claim had committed

    assert deliveries_send(notification_ids=[note.pk]) == 0  # a retry finds it claimed
    assert deliveries_sweep()["unknown"] == 0  # not stale yet
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert deliveries_sweep(now=later)["unknown"] == 1
    assert deliveries_send(notification_ids=[note.pk]) == 0
    row.refresh_from_db()
    assert row.status == S.UNKNOWN and "mid-send" in row.error
    assert len(fake.sent("wechat")) == 1  # at most once
    assert list(ChannelDelivery.objects.filter(notification=note).values_list("channel", flat=True)) == ["wechat"]
