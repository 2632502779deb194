from celery import shared_task

from . import services


@shared_task
def report_notify(report_id: int) -> int:
    """Tell a station's keepers about a worker's report."""
    return services.report_notify_keepers(report_id=report_id)


@shared_task
def inspection_problems_notify(inspection_id: int) -> int:
    """Remind keepers and staff of broken or missing equipment found by an inspection."""
    return services.inspection_notify_problems(inspection_id=inspection_id)


@shared_task
def inspections_overdue_check() -> int:
    """Daily: remind keepers and staff of stations whose inspection is overdue."""
    return services.inspections_overdue_notify()
