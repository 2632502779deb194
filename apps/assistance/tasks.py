"""Thin Celery tasks: each calls one service. Periodic ones are listed in CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from . import services


@shared_task
def recheck_remind_task() -> int:
    """Daily: tell caseworkers of yearly re-checks due within a month."""
    return services.recheck_remind()


@shared_task
def records_purge_task() -> int:
    """Daily: anonymise closed and refused cases past the retention period."""
    return services.records_purge_expired()
