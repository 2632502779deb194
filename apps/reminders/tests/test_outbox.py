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


def _lost_row(**fields):
    """A row the broker took (sent_at) whose task never ran (no done_at)."""
    from apps.accounts.tests.factories import UserFactory

    user = UserFactory()
    note = Notification.objects.create(user=user, key="lost", title="体检名额", email_wanted=True)
    sent = timezone.now() - datetime.timedelta(hours=1)
    return OutboxTask.objects.create(
        task="apps.reminders.tasks.notification_email_send", args=[note.pk], sent_at=sent, attempts=1, **fields
    ), note


def test_a_handed_over_task_that_never_ran_is_handed_over_again(settings, mailoutbox):
    from apps.reminders.outbox import redeliver_lost

    settings.OUTBOX_REDELIVER_SECONDS = 600
    row, note = _lost_row()
    assert redeliver_lost() == 1  # eager here: the task runs, the row closes
    row.refresh_from_db()
    assert row.done_at is not None and row.attempts == 2
    assert len(mailoutbox) == 1
    assert redeliver_lost() == 0  # closed: never again


def test_a_task_that_ran_is_not_sent_again_and_a_fresh_hand_over_is_left_alone(settings):
    from apps.reminders.outbox import redeliver_lost

    settings.OUTBOX_REDELIVER_SECONDS = 600
    done, _note = _lost_row(done_at=timezone.now())
    fresh, _note = _lost_row()
    OutboxTask.objects.filter(pk=fresh.pk).update(sent_at=timezone.now())  # within the window
    assert redeliver_lost() == 0
    assert OutboxTask.objects.get(pk=fresh.pk).done_at is None and OutboxTask.objects.get(pk=done.pk).attempts == 1


def test_a_worker_closes_the_row_its_task_id_names():
    from apps.reminders.outbox import row_id_of
    from apps.reminders.tasks import notifications_purge_old

    row = OutboxTask.objects.create(task=notifications_purge_old.name, args=[30], sent_at=timezone.now(), attempts=1)
    assert row_id_of(f"outbox-{row.pk}-1") == row.pk and row_id_of("another-task") is None
    notifications_purge_old.apply(args=[30], task_id=f"outbox-{row.pk}-1")  # as a worker runs it
    assert OutboxTask.objects.get(pk=row.pk).done_at is not None


def test_a_task_that_fails_for_good_closes_its_row_with_the_error():
    from apps.reminders.tasks import notification_email_send

    row = OutboxTask.objects.create(task=notification_email_send.name, args=[0], sent_at=timezone.now(), attempts=1)
    # Not an id: the task raises an error it does not retry.
    notification_email_send.apply(args=["not-an-id"], task_id=f"outbox-{row.pk}-1", throw=False)
    row.refresh_from_db()
    assert row.done_at is not None and row.last_error.startswith("failed:")
