from datetime import timedelta

from celery import shared_task
from django.utils import timezone


@shared_task
def submission_tokens_purge(days: int = 7) -> int:
    """Forget claimed form tokens after a week (a repeat that late is a new submission)."""
    from .models import SubmissionToken

    deleted, _ = SubmissionToken.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted
