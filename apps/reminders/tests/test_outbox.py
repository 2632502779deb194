"""The transactional outbox: a task queued while the broker is down is delivered once it is back."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reminders.models import Notification, OutboxTask
from apps.reminders.outbox import relay_pending
from union_portal.celery_app import app as celery_app

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens, connections are refused


@pytest.fixture
def broker_down():
    """Celery as in production (not eager) with a broker that refuses every connection."""
    old = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=DEAD_BROKER, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.update(**old)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _age_rows():
    # The sweep leaves rows younger than its grace period to their own request's relay.
    OutboxTask.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))


def test_a_station_problem_reported_while_the_broker_is_down_reaches_the_keeper_once(
    client, django_capture_on_commit_callbacks, broker_down
):
    from apps.accounts.tests.factories import UserFactory
    from apps.stations.tests.factories import StationFactory

    keeper, worker = UserFactory(roles=["station_keeper"]), UserFactory()
    station = StationFactory(keepers=[keeper])
    client.force_login(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stations:feedback", args=[station.pk]),
            {"score": 4, "comment": "", "report_kind": "broken", "report_note": "微波炉坏了"},
        )
    assert response.status_code == 302  # the worker gets their page, not a 500
    row = OutboxTask.objects.get(task="apps.stations.tasks.report_notify")
    assert row.sent_at is None and row.attempts == 1 and "OperationalError" in row.last_error
    assert not Notification.objects.filter(user=keeper).exists()

    _age_rows()
    assert relay_pending() == 0  # still down: kept, nothing lost
    assert OutboxTask.objects.get(pk=row.pk).sent_at is None

    celery_app.conf.update(task_always_eager=True)  # the broker is back (a worker runs the task)
    with django_capture_on_commit_callbacks(execute=True):
        assert relay_pending() == 1
        assert relay_pending() == 0  # a second sweep sends nothing again
    assert Notification.objects.filter(user=keeper, kind="stations.report").count() == 1
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()  # the keeper's e-mail task too


def test_the_outbox_row_rolls_back_with_the_data_it_is_about(broker_down):
    from django.db import transaction

    from apps.reminders.outbox import enqueue
    from apps.reminders.tasks import notifications_purge_old

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(notifications_purge_old, 30)
        raise RuntimeError("the form's write failed")
    assert not OutboxTask.objects.exists()


def test_the_relay_runs_every_minute():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reminders-outbox-relay"]
    assert entry["task"] == "apps.reminders.tasks.outbox_relay"
