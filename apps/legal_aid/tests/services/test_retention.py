"""Retention: past the period, personal data goes and the figures stay."""

import datetime

import pytest
from django.utils import timezone

from apps.legal_aid import services
from apps.legal_aid.models import Consultation

from ..factories import submit_consultation

pytestmark = pytest.mark.django_db


def test_records_past_retention_lose_personal_data_but_keep_the_figures(worker, station, lawyer, pdf, settings):
    settings.LEGAL_AID_RETENTION_DAYS = 30
    consultation = submit_consultation(worker, station, attachments=[("contract", pdf())])
    Consultation.objects.filter(pk=consultation.pk).update(
        status="closed", outcome="answered", closed_at=timezone.now() - datetime.timedelta(days=40)
    )
    recent = submit_consultation(worker, station)
    Consultation.objects.filter(pk=recent.pk).update(status="closed", outcome="answered", closed_at=timezone.now())
    path = consultation.attachments.get().file.path
    assert services.records_purge_expired() == 1
    assert services.records_purge_expired() == 0
    consultation.refresh_from_db()
    assert consultation.question == services.PURGED and consultation.contact_phone == ""
    assert consultation.topic == "wages" and consultation.outcome == "answered"
    assert not consultation.attachments.exists()
    import os

    assert not os.path.exists(path)
    recent.refresh_from_db()
    assert recent.question == "老板拖欠工资"
