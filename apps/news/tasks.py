from celery import shared_task

from . import services


@shared_task
def articles_publish_due() -> int:
    """Beat, every minute: publish scheduled articles whose time has come."""
    return services.articles_publish_due()


@shared_task
def articles_overdue_alert() -> int:
    """Beat, every five minutes: alert editors about articles over 10 minutes late."""
    return services.articles_overdue_alert()
