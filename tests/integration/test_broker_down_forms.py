"""Forms that queue work keep answering while the broker is down; the work waits in the outbox."""

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.reminders.models import OutboxTask
from apps.reminders.tests.test_outbox import broker_down  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_verifying_a_report_while_the_broker_is_down_answers_and_keeps_the_notification(
    client,
    django_capture_on_commit_callbacks,
    broker_down,  # noqa: F811
):
    from apps.tenthings.models import ProgressReport
    from apps.tenthings.tests.factories import ReportFactory

    report = ReportFactory(status=ProgressReport.Status.SUBMITTED)
    client.force_login(UserFactory(roles=["tenthings_verifier"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tenthings:review_decide", args=[report.pk]), {"decision": "verify"})
    assert response.status_code == 302  # no 500 from the dead broker
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.VERIFIED
    pending = OutboxTask.objects.filter(sent_at__isnull=True, task="apps.tenthings.tasks.report_verified_notify_task")
    assert pending.count() == 1 and pending.get().args == [report.pk]
