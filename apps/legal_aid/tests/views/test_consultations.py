"""Consultation pages: the worker's form, the handler's actions, flat queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.legal_aid import services
from apps.legal_aid.models import Consultation, DutyShift

from ..factories import ConsultationFactory, DutyShiftFactory, grow

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


def test_a_lawyer_marks_a_booked_worker_who_did_not_come_from_the_duty_queue(client, worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer)
    consultation = services.consultation_submit(
        worker=worker,
        station=station,
        topic="wages",
        question="欠薪",
        channel="slot",
        shift=shift,
        consent=True,
        contact_name="刘",
        contact_phone="138",
    )
    client.force_login(lawyer.user)
    duty = reverse("legal_aid:duty")
    url = reverse("legal_aid:consultation_no_show", args=[consultation.pk])
    assert url not in client.get(duty).content.decode()  # the slot has not begun
    DutyShift.objects.filter(pk=shift.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    assert url in client.get(duty).content.decode()
    response = client.post(url, {"next": duty}, follow=True)
    assert response.redirect_chain == [(duty, 302)]
    assert f"已登记 #{consultation.pk} 未到场。" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.NO_SHOW
    assert AuditEntry.objects.for_object(consultation).filter(detail="登记未到场", actor=lawyer.user).exists()


def test_a_no_show_goes_back_only_to_a_page_of_this_site(client, worker, station, lawyer):
    consultation = ConsultationFactory(worker=worker, station=station, lawyer=lawyer, status="triaged")
    client.force_login(lawyer.user)
    response = client.post(
        reverse("legal_aid:consultation_no_show", args=[consultation.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == consultation.get_absolute_url()
    consultation.refresh_from_db()
    assert consultation.status == "triaged"


def test_a_stranger_cannot_mark_a_no_show(client, stranger, worker, station, lawyer):
    consultation = ConsultationFactory(worker=worker, station=station, lawyer=lawyer, status="scheduled")
    client.force_login(stranger)
    assert client.post(reverse("legal_aid:consultation_no_show", args=[consultation.pk])).status_code == 404


def _form_data(client, station):
    """The consultation form as the page renders it, with its one-time token."""
    import re

    page = client.get(reverse("legal_aid:consultation_new"), {"station": station.pk}).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    return {
        "station": station.pk,
        "topic": "wages",
        "question": "欠薪三个月",
        "channel": "written",
        "contact_name": "刘",
        "contact_phone": "13800000000",
        "consent": "on",
        "submission_token": token,
    }


def test_a_double_tapped_consultation_form_makes_one_consultation(client, worker, station):
    client.force_login(worker)
    data = _form_data(client, station)
    first = client.post(reverse("legal_aid:consultation_new"), data)
    again = client.post(reverse("legal_aid:consultation_new"), data)
    consultation = Consultation.objects.get()  # one
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == consultation.get_absolute_url()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_submits_of_one_form_make_one_consultation(worker, station):
    # Reproduces the probe: six identical posts at once made six consultations.
    import threading

    from django.db import connection, connections
    from django.test import Client

    from conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    client = Client()
    client.force_login(worker)
    data = _form_data(client, station)
    barrier, answers = threading.Barrier(6), []

    def post():
        try:
            mine = Client()
            mine.cookies = client.cookies
            barrier.wait()
            answers.append(mine.post(reverse("legal_aid:consultation_new"), data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302] * 6
    assert Consultation.objects.filter(worker=worker).count() == 1
