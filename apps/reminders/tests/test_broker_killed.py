"""A task handed to Redis is not lost when Redis dies (kill -9, no persistence) before a worker
takes it: its outbox row is closed only when the task has run, so the sweep hands it over again
to the restarted broker and a real worker runs it."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from apps.accounts.tests.factories import UserFactory
from apps.reminders.models import Notification, OutboxTask
from conftest import require_service, test_database_url
from union_portal.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int, workdir: Path):
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def _start_worker(queue: str, broker: str):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "union_portal.settings.test",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": broker,
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


def _wait_until(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def test_redis_killed_between_hand_over_and_pick_up_loses_no_task(tmp_path, settings):
    require_service("PostgreSQL", connection.vendor == "postgresql", "a worker process shares the test database")
    require_service("redis-server", subprocess.run(["which", "redis-server"], capture_output=True).returncode == 0, "")
    from apps.reminders.outbox import enqueue, redeliver_lost
    from apps.reminders.tasks import notification_email_send

    port, queue = _free_port(), f"test-lost-{uuid.uuid4().hex[:10]}"
    broker = f"redis://127.0.0.1:{port}/0"
    redis = _start_redis(port, tmp_path)
    old = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=broker, task_always_eager=False, task_default_queue=queue)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    worker = None
    try:
        user = UserFactory(email="keeper@example.cn")
        note = Notification.objects.create(user=user, key="lost-task", title="驿站巡检到期", email_wanted=True)
        row = enqueue(notification_email_send, note.pk)  # autocommit: relayed to Redis at once
        row.refresh_from_db()  # Redis took it; no worker is running yet
        assert row.sent_at is not None and row.done_at is None

        os.killpg(redis.pid, signal.SIGKILL)  # Redis dies with the task in memory, nothing on disk
        redis.wait(timeout=10)
        redis = _start_redis(port, tmp_path)  # back, empty
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

        settings.OUTBOX_REDELIVER_SECONDS = 0
        time.sleep(0.1)
        assert redeliver_lost() == 1  # handed over but never run: handed over again
        worker = _start_worker(queue, broker)
        assert _wait_until(lambda: OutboxTask.objects.get(pk=row.pk).done_at is not None, 90), "never ran"
        note.refresh_from_db()
        assert note.emailed_at is not None  # the keeper was told
        assert redeliver_lost() == 0
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
        if redis.poll() is None:
            os.killpg(redis.pid, signal.SIGKILL)
        celery_app.conf.update(**old)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
