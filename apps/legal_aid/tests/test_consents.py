"""Withdrawing the separate consent for health data: the consequence first, then the health
documents are deleted and the consultation goes on."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.legal_aid import services
from apps.legal_aid.models import Attachment, Consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(worker, station, pdf):
    return services.consultation_submit(
        worker=worker,
        station=station,
        topic="injury",
        question="工伤认定",
        channel="written",
        consent=True,
        health_consent=True,
        contact_name="刘师傅",
        contact_phone="13800000000",
        attachments=[("appraisal", pdf("鉴定.pdf")), ("contract", pdf())],
    )


def test_a_worker_withdraws_the_health_consent_after_reading_what_it_means(client, worker, consultation):
    client.force_login(worker)
    listing = client.get(reverse("accounts:consents")).content.decode()
    assert "法律咨询：处理健康信息（伤残鉴定等材料）" in listing
    url = reverse("accounts:consent_withdraw", args=["legal_aid", "health"])
    page = client.get(url).content.decode()
    assert "伤残鉴定等健康材料将被删除" in page and "咨询本身照常办理" in page
    assert Attachment.objects.filter(kind="appraisal").count() == 1  # nothing happens on GET
    response = client.post(url, follow=True)
    assert "已撤回同意" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.health_consent_at is None and consultation.status == Consultation.Status.SUBMITTED
    assert list(consultation.attachments.values_list("kind", flat=True)) == ["contract"]
    assert AuditEntry.objects.filter(detail__startswith="撤回健康信息同意").count() == 1
    assert "法律咨询：处理健康信息" not in client.get(reverse("accounts:consents")).content.decode()


def test_another_persons_or_a_guessed_consent_is_404(client, stranger, consultation):
    client.force_login(stranger)
    for args in (["legal_aid", "health"], ["legal_aid", "other"], ["nope", "health"]):
        assert client.post(reverse("accounts:consent_withdraw", args=args)).status_code == 404
    assert Attachment.objects.filter(kind="appraisal").count() == 1
