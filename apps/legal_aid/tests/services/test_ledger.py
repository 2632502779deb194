"""The service ledger: one row per answered consultation, entries only by station staff."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.legal_aid import services
from apps.legal_aid.models import LedgerEntry

from ..factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def test_an_answer_adds_one_ledger_row_never_two(worker, station, lawyer):
    consultation = ConsultationFactory(
        worker=worker, station=station, lawyer=lawyer, status="triaged", is_new_form=True
    )
    services.consultation_answer(consultation=consultation, by=lawyer.user, answer="可申请调解")
    services.consultation_close(consultation=consultation, by=lawyer.user, outcome="answered")
    services.ledger_add_for_consultation(consultation)
    entry = LedgerEntry.objects.get()
    assert (entry.people, entry.new_form_people, entry.consultation_id) == (1, 1, consultation.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            station=station, date=entry.date, channel="phone", topic="wages", people=1, consultation=consultation
        )


def test_ledger_new_form_people_cannot_exceed_people(officer, station):
    with pytest.raises(ValidationError) as exc:
        services.ledger_add(
            station=station,
            by=officer,
            date=timezone.localdate(),
            channel="visit",
            topic="wages",
            people=3,
            new_form_people=5,
        )
    assert exc.value.message_dict["new_form_people"] == ["新就业形态人数不能多于服务人数。"]
    assert not LedgerEntry.objects.exists()


def test_a_stranger_cannot_write_a_station_ledger(stranger, station):
    with pytest.raises(ValidationError) as exc:
        services.ledger_add(
            station=station, by=stranger, date=timezone.localdate(), channel="visit", topic="wages", people=3
        )
    assert exc.value.messages == ["只有本站工作人员可以登记服务台账。"]
