"""A worker killed after the mail server took a message, before the portal recorded it: the task
runs again on another worker, the message goes out again with the same Message-ID (so mail
systems drop the copy), and the in-site notification stays single."""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from apps.accounts.tests.factories import UserFactory
from apps.reminders.models import Notification
from conftest import require_service, test_database_url
from union_portal.celery_app import app as celery_app

from .test_celery_worker import REDIS_URL, redis_answers

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def start_worker(queue, mail_dir, slow_seconds):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "union_portal.settings.test",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": REDIS_URL,
        "EMAIL_BACKEND": "apps.reminders.tests.slow_mail.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SLOW_MAIL_SECONDS": str(slow_seconds),
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "union_portal", "worker", "-Q", queue, "-P", "solo", "-l", "warning"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_until(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def test_a_worker_killed_mid_send_is_replaced_and_the_copy_carries_the_same_message_id(tmp_path):
    require_service("PostgreSQL", connection.vendor == "postgresql", "a worker process shares the test database")
    require_service("Redis", redis_answers(), f"no Redis at {REDIS_URL}")
    user = UserFactory()
    note = Notification.objects.create(user=user, key="killed-worker", title="驿站巡检到期", email_wanted=True)
    queue, mail_dir = f"test-kill-{uuid.uuid4().hex[:10]}", tmp_path / "mail"
    old = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    workers = []
    try:
        from apps.reminders.tasks import notification_email_send

        notification_email_send.apply_async(args=[note.pk], queue=queue)
        workers.append(start_worker(queue, mail_dir, slow_seconds=60))
        assert wait_until(lambda: len(list(mail_dir.glob("*.eml"))) == 1, 60), "the first worker never sent"
        os.killpg(workers[0].pid, signal.SIGKILL)  # killed after the server took it, before the commit
        workers[0].wait(timeout=10)
        note.refresh_from_db()
        assert note.emailed_at is None  # the portal never recorded the send

        # Redis hands an unacknowledged task to the next worker that starts once its visibility
        # timeout (3 s here, 10 minutes in production) has passed.
        time.sleep(5)
        workers.append(start_worker(queue, mail_dir, slow_seconds=0))
        assert wait_until(lambda: Notification.objects.get(pk=note.pk).emailed_at is not None, 90)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=20)
        celery_app.conf.update(**old)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    copies = [email.message_from_bytes(p.read_bytes()) for p in sorted(mail_dir.glob("*.eml"))]
    assert len(copies) == 2  # at least once: the mail server got it twice …
    assert {m["Message-ID"] for m in copies} == {f"<notification-{note.pk}.{user.pk}@union-portal.local>"}  # … one ID
    assert Notification.objects.filter(user=user).count() == 1  # in-site: exactly once
