"""Case pages: intake by station staff, stage moves, mediators through the conflict check."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.legal_aid import services
from apps.legal_aid.models import DisputeCase

from ..factories import DisputeCaseFactory, OrganizationFactory, StationMemberFactory

pytestmark = pytest.mark.django_db


def test_the_case_page_has_flat_queries(client, django_assert_max_num_queries, officer, station):
    case = DisputeCaseFactory(station=station, stage="mediating")
    client.force_login(officer)
    for size in (1, 10):
        for i in range(size):
            services.case_session_add(
                case=case, by=officer, held_on=timezone.localdate(), attendees=f"甲{i}", minutes="记录"
            )
            case.applicants.create(name=f"申请人{i}")
        with django_assert_max_num_queries(18):
            response = client.get(reverse("legal_aid:case", args=[case.pk]))
        assert response.status_code == 200


def test_mediator_moving_to_an_unreachable_stage_sees_the_message(client, mediator):
    case = DisputeCaseFactory()
    case.mediators.add(mediator)
    client.force_login(mediator)
    response = client.post(reverse("legal_aid:case_move", args=[case.pk]), {"to_stage": "closed"}, follow=True)
    assert "案件当前处于“受理”阶段，不能转到“结案”。" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "intake"


def test_amounts_are_decimal_on_case_page(client, officer, station, pdf):
    case = DisputeCaseFactory(station=station, amount_claimed=Decimal("86000.00"))
    client.force_login(officer)
    assert "86000.00" in client.get(reverse("legal_aid:case", args=[case.pk])).content.decode()
    assert DisputeCase.objects.count() == 1


def test_officer_assigns_a_mediator_through_the_conflict_check(client, user_with_role, officer, mediator):
    employer = OrganizationFactory(name="恒兴科技园")
    insider = user_with_role("mediator", real_name="内部调解员", employer=employer)
    case = DisputeCaseFactory(respondent_name="恒兴科技园")
    client.force_login(officer)
    url = reverse("legal_aid:case_mediator", args=[case.pk])
    response = client.post(url, {"mediator": insider.pk}, follow=True)
    assert "内部调解员未通过利益冲突审查（本人在对方单位任职）" in response.content.decode()
    assert not case.mediators.exists()
    client.post(url, {"mediator": mediator.pk})
    assert list(case.mediators.all()) == [mediator]
    assert case.conflict_checks.count() == 2


def test_a_mediator_cannot_assign_mediators(client, mediator):
    case = DisputeCaseFactory()
    case.mediators.add(mediator)
    client.force_login(mediator)
    response = client.post(reverse("legal_aid:case_mediator", args=[case.pk]), {"mediator": mediator.pk})
    assert response.status_code == 403
    assert "法律工作部" in response.content.decode()
    assert not case.mediators.exclude(pk=mediator.pk).exists() and case.conflict_checks.count() == 0


def test_station_staff_take_in_a_dispute(client, station):
    staff = StationMemberFactory(station=station).user
    client.force_login(staff)
    assert "受理调解" in client.get(reverse("accounts:me")).content.decode()
    data = {
        "station": station.pk,
        "applicant_name": "王师傅",
        "respondent_name": "某物流公司",
        "topic": "wages",
        "claim": "支付工资",
        "amount_claimed": "3000",
        "arose_on": "2999-01-01",
    }
    response = client.post(reverse("legal_aid:case_new"), data)
    assert "争议发生日期不能晚于今天。" in response.content.decode()
    assert not DisputeCase.objects.exists()
    a_month_ago = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("legal_aid:case_new"), {**data, "arose_on": a_month_ago})
    case = DisputeCase.objects.get()
    assert response.url == case.get_absolute_url()
    assert case.applicants.get().name == "王师傅" and case.station == station


def test_case_intake_is_not_for_workers(client, worker):
    client.force_login(worker)
    assert client.get(reverse("legal_aid:case_new")).status_code == 404
