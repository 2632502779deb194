"""A real task through a real Redis broker to a real Celery worker (no eager mode)."""

import os
import time
import uuid

import pytest
from django.core import mail

from apps.accounts.tests.factories import UserFactory
from apps.reminders.models import Notification
from conftest import require_service
from union_portal.celery_app import app as celery_app

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def real_worker(settings):
    require_service("Redis", redis_answers(), f"no Redis at {REDIS_URL}")
    from celery.contrib.testing.worker import start_worker

    # Celery reads Django settings lazily: take the values to restore before changing anything.
    old = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # A queue of its own: parallel runs on one Redis never take each other's messages.
    queue = f"test-{uuid.uuid4().hex[:12]}"
    celery_app.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue)
    _drop_cached_connections()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]):
        yield queue
    celery_app.conf.update(**old)
    _drop_cached_connections()
    assert celery_app.conf.task_always_eager is True, "later tests rely on eager tasks"


def _drop_cached_connections():
    """Connection and producer pools are built once from the broker URL of their time."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_email_task_runs_on_a_real_worker_through_redis(real_worker):
    user = UserFactory()
    notification = Notification.objects.create(user=user, key="worker-test", title="驿站巡检到期", email_wanted=True)
    from apps.reminders.tasks import notification_email_send

    result = notification_email_send.apply_async(args=[notification.pk], queue=real_worker)
    assert result.id
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at:
            break
        time.sleep(0.2)
    assert notification.emailed_at is not None, "the worker never ran the task"
    assert [m.subject for m in mail.outbox] == ["【兴化市总工会】驿站巡检到期"]
