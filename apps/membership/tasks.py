from celery import shared_task

from . import services


@shared_task
def application_staff_notify(application_id: int, union_id: int) -> int:
    """Tell a union's staff about an application in their queue."""
    return services.application_staff_notify(application_id=application_id, union_id=union_id)


@shared_task
def transfer_staff_notify(transfer_id: int) -> int:
    """Tell the new and the old union's staff about a transfer."""
    return services.transfer_staff_notify(transfer_id=transfer_id)


@shared_task
def setup_request_notify(request_id: int) -> int:
    """Tell the town union's staff and the officers about a 建会 request."""
    return services.setup_request_notify(request_id=request_id)


@shared_task
def overdue_remind_task() -> int:
    """Daily: tell union staff of applications, transfers and 建会 requests past their deadline."""
    return services.overdue_remind() + services.transfers_overdue_remind() + services.setup_overdue_remind()
