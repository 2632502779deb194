from celery import shared_task

from .services.delivery import appointments_tomorrow


@shared_task
def appointments_tomorrow_task() -> int:
    """Evening: everyone booked for tomorrow is told the time, the provider and to bring their QR."""
    return appointments_tomorrow()
