from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from apps.reminders.tasks import MAIL_RETRY


@shared_task(**MAIL_RETRY)
def account_mail_send(subject: str, body: str, html: str, from_email: str, to: list[str]) -> int:
    """Send one account mail (confirmation, password reset); retried with backoff on mail errors.

    The connection carries ``EMAIL_TIMEOUT``, so a stalled server fails the attempt (and the
    retry comes later) instead of holding a worker for minutes."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
