"""Consultation pages: the worker's form, the handler's actions, flat queries."""

import pytest
from django.urls import reverse

from apps.legal_aid import services
from apps.legal_aid.models import Consultation

from ..factories import ConsultationFactory, grow

pytestmark = pytest.mark.django_db


def test_the_consultation_form_queries_do_not_grow_with_the_data(
    client, django_assert_max_num_queries, station, lawyer, worker
):
    client.force_login(worker)
    for size in (1, 6):
        grow(station, lawyer, size)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("legal_aid:consultation_new"))
        assert response.status_code == 200


def test_the_consultation_page_has_flat_queries(client, django_assert_max_num_queries, officer, station):
    consultation = ConsultationFactory(station=station, status="triaged")
    client.force_login(officer)
    for size in (1, 10):
        for _i in range(size):
            services.callback_log(consultation=consultation, by=officer, reached=True)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("legal_aid:consultation", args=[consultation.pk]))
        assert response.status_code == 200


def test_worker_submits_through_the_form_and_sees_it(client, worker, station):
    client.force_login(worker)
    url = reverse("legal_aid:consultation_new")
    data = {
        "station": station.pk,
        "topic": "wages",
        "question": "欠薪",
        "channel": "written",
        "contact_name": "刘",
        "contact_phone": "138",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请阅读并同意《个人信息保护告知》后再提交咨询。" in response.content.decode()
    assert not Consultation.objects.exists()
    response = client.post(url, {**data, "consent": "on"})
    consultation = Consultation.objects.get()
    assert response.url == consultation.get_absolute_url()
    assert consultation.worker == worker and consultation.consent_at is not None


def test_officer_assigns_from_the_queue_and_lawyer_is_told(client, officer, lawyer, station):
    consultation = ConsultationFactory(station=station)
    client.force_login(officer)
    client.post(reverse("legal_aid:consultation_assign", args=[consultation.pk]), {"lawyer": lawyer.pk})
    consultation.refresh_from_db()
    assert consultation.lawyer == lawyer and consultation.status == "triaged"
    from apps.reminders.models import Notification

    assert Notification.objects.filter(user=lawyer.user, kind="legal_aid.assigned").count() == 1
