"""Thin Celery tasks: each calls one service. Periodic ones are listed in CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from . import services


@shared_task
def shifts_tomorrow_notify() -> int:
    """Daily: remind lawyers of tomorrow's shifts."""
    return services.shifts_tomorrow_notify()


@shared_task
def shifts_unconfirmed_notify() -> int:
    """Daily: tell staff of shifts three days ahead still unconfirmed."""
    return services.shifts_unconfirmed_notify()


@shared_task
def appointments_tomorrow_notify() -> int:
    """Daily: remind workers of tomorrow's booked slots."""
    return services.appointments_tomorrow_notify()


@shared_task
def callbacks_due_notify() -> int:
    """Every 10 minutes: remind lawyers of callback windows opening within 30 minutes."""
    return services.callbacks_due_notify()


@shared_task
def consultations_overdue_notify() -> int:
    """Hourly: consultations past their first-response deadline."""
    return services.consultations_overdue_notify()


@shared_task
def case_clocks_notify() -> int:
    """Daily: mediation day 10 / 15, payment date passed, 11 months of the arbitration limit."""
    return services.case_clocks_notify()


@shared_task
def ledger_monthly_request() -> int:
    """Monthly: ask station staff to complete last month's service ledger."""
    return services.ledger_monthly_request()


@shared_task
def records_purge_expired() -> int:
    """Daily: remove personal data of closed consultations and cases past the retention period."""
    return services.records_purge_expired()
