"""The conflict check: a lawyer or mediator tied to the respondent is refused unless overridden in writing."""

import pytest
from django.core.exceptions import ValidationError

from apps.legal_aid import services
from apps.legal_aid.models import ConflictCheck, Consultation

from ..factories import DisputeCaseFactory, LawyerProfileFactory, OrganizationFactory, UserFactory, submit_consultation

pytestmark = pytest.mark.django_db


def test_a_lawyer_who_fails_the_conflict_check_cannot_be_assigned(worker, station, officer):
    client = OrganizationFactory(name="东华链条兴化有限公司")
    conflicted = LawyerProfileFactory(stations=[station], advised=[client])
    consultation = submit_consultation(worker, station, employer_name="东华链条兴化有限公司")
    with pytest.raises(ValidationError) as exc:
        services.consultation_assign(consultation=consultation, lawyer=conflicted, by=officer)
    assert "未通过利益冲突审查" in exc.value.messages[0]
    consultation.refresh_from_db()
    assert consultation.lawyer is None
    assert consultation.status == Consultation.Status.SUBMITTED
    check = ConflictCheck.objects.get()
    assert not check.cleared and "法律顾问" in check.reason
    # Staff may override only with a written reason, which is recorded.
    services.consultation_assign(consultation=consultation, lawyer=conflicted, by=officer, override_reason="当事人同意")
    consultation.refresh_from_db()
    assert consultation.lawyer == conflicted
    assert ConflictCheck.objects.filter(override_reason="当事人同意").exists()


def test_a_mediator_employed_by_the_respondent_fails_the_conflict_check(officer):
    employer = OrganizationFactory(name="恒兴科技园")
    insider = UserFactory(employer=employer)
    case = DisputeCaseFactory(respondent_name="恒兴科技园")
    with pytest.raises(ValidationError) as exc:
        services.case_mediator_assign(case=case, mediator=insider, by=officer)
    assert "本人在对方单位任职" in exc.value.messages[0]
    assert not case.mediators.exists()
