from celery import shared_task

from . import services


@shared_task
def offers_expire_task() -> int:
    """Every few minutes: offers not confirmed in time pass on to the next person waiting."""
    return services.offers_expire()


@shared_task
def tomorrow_remind_task() -> int:
    """Evening: the day-before reminder with the place and the person's own check-in link."""
    return services.tomorrow_remind()


@shared_task
def after_event_task() -> int:
    """Hourly: no-shows marked after the last occasion; attendees asked one satisfaction question."""
    services.no_shows_mark()
    return services.satisfaction_ask()


@shared_task
def draw_notify_task(roster_id: int) -> int:
    """After a draw: winners are asked to confirm, the others told their waiting place."""
    return services.draw_notify(roster_id=roster_id)


@shared_task
def children_forget_task() -> int:
    """Nightly: children's names and guardians' phones removed past their retention period."""
    return services.children_forget_expired()
