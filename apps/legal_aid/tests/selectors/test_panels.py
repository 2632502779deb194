"""The app's panels on /me/."""

import itertools

import pytest
from django.urls import reverse

from ..factories import ConsultationFactory, DisputeCaseFactory

pytestmark = pytest.mark.django_db
_SEQ = itertools.count()


def test_me_panel_lists_my_consultations_and_cases(client, worker, station):
    ConsultationFactory(worker=worker, station=station)
    case = DisputeCaseFactory(station=station)
    case.applicants.create(user=worker, name="刘师傅")
    client.force_login(worker)
    body = client.get(reverse("accounts:me")).content.decode()
    assert "我的咨询" in body and case.number in body
