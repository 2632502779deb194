"""Dispute cases: stage moves, settlement needs an agreement, numbering per year."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.legal_aid import services
from apps.legal_aid.models import CaseEvent, DisputeCase

from ..factories import DisputeCaseFactory

pytestmark = pytest.mark.django_db


def test_a_case_cannot_jump_to_a_stage_its_stage_cannot_reach(mediator):
    case = DisputeCaseFactory()
    case.mediators.add(mediator)
    with pytest.raises(ValidationError) as exc:
        services.case_move(case=case, to_stage="closed", by=mediator, outcome="settled", amount_recovered=0)
    assert exc.value.message_dict["to_stage"] == ["案件当前处于“受理”阶段，不能转到“结案”。"]
    case.refresh_from_db()
    assert case.stage == "intake"
    assert not CaseEvent.objects.exists()


def test_a_settlement_without_an_agreement_file_is_refused(mediator):
    case = DisputeCaseFactory(stage="mediating")
    case.mediators.add(mediator)
    with pytest.raises(ValidationError) as exc:
        services.case_move(
            case=case, to_stage="settled", by=mediator, amount_agreed=Decimal("900"), payment_due=timezone.localdate()
        )
    assert exc.value.message_dict["agreement_file"] == ["调解成功须上传双方签字的调解协议书。"]
    case.refresh_from_db()
    assert case.stage == "mediating" and case.amount_agreed is None


def test_the_database_refuses_a_settled_case_without_agreement():
    case = DisputeCaseFactory(stage="mediating")
    with pytest.raises(IntegrityError), transaction.atomic():
        DisputeCase.objects.filter(pk=case.pk).update(stage="settled")


def test_a_case_goes_to_settlement_and_closes_with_recovered_amount(mediator, pdf):
    case = DisputeCaseFactory()
    case.mediators.add(mediator)
    services.case_move(case=case, to_stage="mediating", by=mediator)
    case.refresh_from_db()
    services.case_session_add(case=case, by=mediator, held_on=timezone.localdate(), attendees="双方", minutes="协商")
    services.case_move(
        case=case,
        to_stage="settled",
        by=mediator,
        agreement_file=pdf("agreement.pdf"),
        amount_agreed=Decimal("900"),
        payment_due=timezone.localdate(),
    )
    services.case_performance_set(case=DisputeCase.objects.get(pk=case.pk), by=mediator, performance="full")
    services.case_move(case=case, to_stage="closed", by=mediator, outcome="settled", amount_recovered=Decimal("900"))
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.amount_recovered) == ("closed", "settled", Decimal("900"))
    assert case.events.count() == 5


def test_a_stranger_cannot_move_a_case(stranger):
    case = DisputeCaseFactory(stage="intake")
    with pytest.raises(ValidationError):
        services.case_move(case=case, to_stage="mediating", by=stranger)
    case.refresh_from_db()
    assert case.stage == "intake"


def test_case_numbers_count_per_year(worker, officer, station):
    applicant = [{"user": worker, "name": "刘师傅"}]
    first = services.case_open(
        station=station,
        applicants=applicant,
        respondent_name="甲",
        topic="wages",
        claim="x",
        arose_on=datetime.date(2024, 1, 1),
        applied_on=datetime.date(2024, 2, 1),
        by=officer,
    )
    second = services.case_open(
        station=station,
        applicants=applicant,
        respondent_name="乙",
        topic="wages",
        claim="x",
        arose_on=datetime.date(2024, 1, 1),
        applied_on=datetime.date(2024, 3, 1),
        by=officer,
    )
    assert (first.number, second.number) == ("XHGH-TJ-2024-0001", "XHGH-TJ-2024-0002")
