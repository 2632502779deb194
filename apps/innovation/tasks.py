from celery import shared_task

from . import services


@shared_task
def innovation_reminders_send() -> dict:
    """Daily: entries open/closing, endorsement waiting, reviews due/overdue, publicity ended, contracts, problems."""
    return services.reminders_send()


@shared_task
def assignment_notify(assignment_id: int) -> int:
    """Tell a reviewer about a new assignment."""
    return services.assignment_notify(assignment_id=assignment_id)
