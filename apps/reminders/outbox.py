"""The transactional outbox: how every app queues a Celery task.

``enqueue(task, *args)`` writes an :class:`OutboxTask` row inside the caller's transaction. After
commit, the relay hands it to the broker; if the broker is down (Redis stopped, network gone) the
row simply stays pending — the person who submitted the form still gets their page, nothing is
lost — and ``outbox_relay`` (beat, every minute) sends it once the broker is back. Tasks are
idempotent (notifications are at most once per natural key), so the rare double hand-over (a
relay and a sweep racing) is harmless; the row lock keeps even that to the relay that wins.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxTask

logger = logging.getLogger(__name__)

# Errors that mean "the broker did not take it" (as opposed to a task that ran and failed).
BROKER_ERRORS = (OperationalError, ConnectionError, OSError, TimeoutError)
# The sweep leaves fresh rows to the after-commit relay of the request that wrote them.
SWEEP_GRACE = timedelta(seconds=30)


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
        try:
            if current_app.conf.task_always_eager:
                # No broker (the embedded default, tests): run it here; a failing task is logged
                # by Celery and counts as handed over, as it would on a worker.
                current_app.tasks[row.task].apply(args=row.args, throw=False)
            else:
                current_app.send_task(row.task, args=row.args)
        except BROKER_ERRORS as exc:
            row.last_error = f"{exc.__class__.__name__}: {exc}"[:300]
            row.save(update_fields=["attempts", "last_error", "updated_at"])
            logger.warning("outbox: broker refused %s (%s); the sweep will retry", row, row.last_error)
            return False
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "sent_at", "last_error", "updated_at"])
    return True


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
