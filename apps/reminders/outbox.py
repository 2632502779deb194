"""The transactional outbox: how every app queues a Celery task.

``enqueue(task, *args)`` writes an :class:`OutboxTask` row inside the caller's transaction. After
commit, the relay hands it to the broker; if the broker is down (Redis stopped, network gone) the
row simply stays pending — the person who submitted the form still gets their page, nothing is
lost — and ``outbox_relay`` (beat, every minute) sends it once the broker is back. Tasks are
idempotent (notifications are at most once per natural key), so the rare double hand-over (a
relay and a sweep racing) is harmless; the row lock keeps even that to the relay that wins.

A row is closed only when its task has run (``done_at``, set by the worker through Celery's
``task_success``/``task_failure`` signals: the task id names the row). A task the broker accepted
and then lost — Redis killed with no persistence before a worker took it — leaves its row handed
over but not done, and the sweep hands it over again after ``OUTBOX_REDELIVER_SECONDS``.
"""

import logging
from datetime import timedelta

from celery import current_app
from celery.signals import task_failure, task_success
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxTask

logger = logging.getLogger(__name__)

# Errors that mean "the broker did not take it" (as opposed to a task that ran and failed).
BROKER_ERRORS = (OperationalError, ConnectionError, OSError, TimeoutError)
# The sweep leaves fresh rows to the after-commit relay of the request that wrote them.
SWEEP_GRACE = timedelta(seconds=30)
# Task ids of outbox rows: "outbox-<row id>-<attempt>" (a new id for each hand-over).
TASK_ID_PREFIX = "outbox-"


def task_id_for(row: OutboxTask) -> str:
    return f"{TASK_ID_PREFIX}{row.pk}-{row.attempts}"


def row_id_of(task_id: str | None) -> int | None:
    """The outbox row a task id names (None for a task that did not come from the outbox)."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    try:
        return int(task_id[len(TASK_ID_PREFIX) :].split("-", 1)[0])
    except ValueError:
        return None


def mark_done(row_id: int, *, error: str = "") -> None:
    """Close a row: its task has run (successfully, or failed for good with ``error``)."""
    fields = {"done_at": timezone.now(), "updated_at": timezone.now()}
    if error:
        fields["last_error"] = error[:300]
    OutboxTask.objects.filter(pk=row_id, done_at__isnull=True).update(**fields)


@task_success.connect(dispatch_uid="reminders.outbox.task_success")
def _task_succeeded(sender=None, **kwargs):
    row_id = row_id_of(getattr(getattr(sender, "request", None), "id", None))
    if row_id is not None:
        mark_done(row_id)


@task_failure.connect(dispatch_uid="reminders.outbox.task_failure")
def _task_failed(sender=None, task_id=None, exception=None, **kwargs):
    # Final failures only (a retry raises Retry, which is not a failure): the task ran and gave
    # up; sending it again would fail the same way, so the row closes with the error.
    row_id = row_id_of(task_id)
    if row_id is not None:
        mark_done(row_id, error=f"failed: {exception.__class__.__name__}: {exception}")


def enqueue(task, *args) -> OutboxTask:
    """Queue ``task(*args)`` to run after the current transaction commits, surviving a broker outage."""
    name = task if isinstance(task, str) else task.name
    row = OutboxTask.objects.create(task=name, args=list(args))
    transaction.on_commit(lambda: relay(row.pk))
    return row


def relay(row_id: int) -> bool:
    """Hand one pending row to the broker; True if it was handed over now."""
    with transaction.atomic():
        row = OutboxTask.objects.select_for_update(skip_locked=True).filter(pk=row_id, sent_at__isnull=True).first()
        if row is None:
            return False
        row.attempts += 1
        eager = current_app.conf.task_always_eager
        try:
            if eager:
                # No broker (the embedded default, tests): run it here; a failing task is logged
                # by Celery and counts as run, as it would on a worker.
                current_app.tasks[row.task].apply(args=row.args, task_id=task_id_for(row), throw=False)
            else:
                current_app.send_task(row.task, args=row.args, task_id=task_id_for(row))
        except BROKER_ERRORS as exc:
            row.last_error = f"{exc.__class__.__name__}: {exc}"[:300]
            row.save(update_fields=["attempts", "last_error", "updated_at"])
            logger.warning("outbox: broker refused %s (%s); the sweep will retry", row, row.last_error)
            return False
        row.sent_at = timezone.now()
        row.last_error = ""
        if eager:
            row.done_at = row.done_at or row.sent_at  # it ran just now, in this process
        row.save(update_fields=["attempts", "sent_at", "done_at", "last_error", "updated_at"])
    return True


def redeliver_lost(*, limit: int = 1000) -> int:
    """Hand over again the rows the broker took but no worker ran within the redelivery window."""
    cutoff = timezone.now() - timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS)
    lost = list(
        OutboxTask.objects.filter(sent_at__lt=cutoff, done_at__isnull=True).values_list("pk", flat=True)[:limit]
    )
    again = 0
    for row_id in lost:
        # Reopen only if still undone (a worker may have just finished it), then relay as usual.
        if OutboxTask.objects.filter(pk=row_id, done_at__isnull=True, sent_at__lt=cutoff).update(sent_at=None):
            logger.warning("outbox: task of row %s was handed over but never ran; handing it over again", row_id)
            if relay(row_id):
                again += 1
            else:
                break  # the broker is down again: the next sweep retries
    return again


def relay_pending(*, limit: int = 1000) -> int:
    """Sweep: hand over every row still pending (oldest first); stops at the first broker error."""
    cutoff = timezone.now() - SWEEP_GRACE
    sent = 0
    for row_id in OutboxTask.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True)[
        :limit
    ]:
        if not relay(row_id):
            if OutboxTask.objects.filter(pk=row_id, sent_at__isnull=True).exists():
                break  # the broker is still down: try again at the next sweep
            continue
        sent += 1
    return sent
