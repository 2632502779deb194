"""Thin Celery tasks of the ten practical things: load by id or date, call the service."""

from celery import shared_task

from . import services


@shared_task
def report_submitted_notify_task(report_id: int) -> int:
    """Notify the verifiers that a report waits for them."""
    return services.report_submitted_notify(report_id=report_id)


@shared_task
def report_verified_notify_task(report_id: int) -> int:
    """Notify the reporter and the followers that a report was verified."""
    return services.report_verified_notify(report_id=report_id)


@shared_task
def report_returned_notify_task(report_id: int) -> bool:
    """Notify the reporter that staff returned the report."""
    return services.report_returned_notify(report_id=report_id)


@shared_task
def report_requests_send_task() -> int:
    """Monthly progress-report requests to responsible people."""
    return services.report_requests_send()


@shared_task
def overdue_alerts_send_task() -> int:
    """Alerts for overdue milestones and tasks."""
    return services.overdue_alerts_send()


@shared_task
def leader_digest_send_task() -> int:
    """Weekly digest of lagging and stale items to leaders."""
    return services.leader_digest_send()
