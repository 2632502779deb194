"""Pages render for the right people, and their query counts do not grow with the data."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import user_role_add
from apps.legal_aid import services
from apps.legal_aid.models import Consultation, DisputeCase, LedgerEntry, Registration

from .factories import (
    ConsultationFactory,
    DisputeCaseFactory,
    DutyShiftFactory,
    LawyerProfileFactory,
    LegalEventFactory,
    LegalStationFactory,
    OrganizationFactory,
    StationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
_SEQ = itertools.count()


def _grow(station, lawyer, n: int) -> None:
    """n more stations, shifts this week, consultations, cases and events."""
    today = timezone.localdate()
    for _n in range(n):
        i = next(_SEQ)
        other = LegalStationFactory()
        StationMemberFactory(station=other)
        lawyer.stations.add(other)
        DutyShiftFactory(
            station=other, lawyer=LawyerProfileFactory(stations=[other]), date=today + datetime.timedelta(days=i % 6)
        )
        DutyShiftFactory(
            station=station,
            lawyer=lawyer,
            date=today + datetime.timedelta(days=1 + i % 6),
            start=datetime.time(7 + i // 6 % 16),
            end=datetime.time(7 + i // 6 % 16, 50),
        )
        ConsultationFactory(station=other, lawyer=lawyer, status="triaged")
        ConsultationFactory(station=station, due_at=timezone.now() - datetime.timedelta(hours=i + 1))
        case = DisputeCaseFactory(station=other)
        case.mediators.add(UserFactory())
        LegalEventFactory()
        LegalEventFactory(status="held", starts_at=timezone.now() - datetime.timedelta(days=i + 1), head_count=30)


@pytest.mark.parametrize(
    ("name", "who", "limit"),
    [
        ("index", None, 8),
        ("station", None, 8),
        ("events", None, 8),
        ("triage", "officer", 14),
        ("duty", "lawyer", 14),
        ("roster", "officer", 12),
        ("consultation_new", "worker", 14),
    ],
)
def test_page_queries_do_not_grow_with_the_data(
    client, django_assert_max_num_queries, name, who, limit, station, lawyer, officer, worker
):
    users = {"officer": officer, "lawyer": lawyer.user, "worker": worker}
    args = [station.pk] if name == "station" else []
    url = reverse(f"legal_aid:{name}", args=args)
    for size in (1, 6):
        _grow(station, lawyer, size)
        if who:
            client.force_login(users[who])
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200


def test_case_and_consultation_pages_have_flat_queries(
    client, django_assert_max_num_queries, officer, station, mediator, pdf
):
    case = DisputeCaseFactory(station=station, stage="mediating")
    consultation = ConsultationFactory(station=station)
    client.force_login(officer)
    for size in (1, 10):
        for i in range(size):
            services.case_session_add(
                case=case, by=officer, held_on=timezone.localdate(), attendees=f"甲{i}", minutes="记录"
            )
            case.applicants.create(name=f"申请人{i}")
            services.callback_log(consultation=consultation, by=officer, reached=True) if i == 0 and size == 1 else None
        with django_assert_max_num_queries(18):
            assert client.get(reverse("legal_aid:case", args=[case.pk])).status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get(reverse("legal_aid:consultation", args=[consultation.pk])).status_code == 200


def test_index_shows_stations_duty_and_the_ask_button(client, station, lawyer):
    DutyShiftFactory(station=station, lawyer=lawyer, date=timezone.localdate())
    body = client.get(reverse("legal_aid:index")).content.decode()
    assert "老黄维权站" in body and "黄律师" in body and "我要咨询" in body and "15 日" in body


def test_planned_station_pages_are_not_public(client):
    planned = LegalStationFactory(status="planned", status_reason="筹建中", opened_on=None)
    assert client.get(reverse("legal_aid:station", args=[planned.pk])).status_code == 404


def test_station_page_shows_the_org_chart(client, station):
    StationMemberFactory(station=station, role="mediator", user=UserFactory(real_name="陈调解员"))
    body = client.get(reverse("legal_aid:station", args=[station.pk])).content.decode()
    assert "组织架构" in body and "陈调解员" in body and "调解员" in body


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


def test_triage_is_for_legal_officers_only(client, worker):
    client.force_login(worker)
    assert client.get(reverse("legal_aid:triage")).status_code == 403


def test_triage_lists_overdue_first_then_oldest(client, officer, station):
    now = timezone.now()
    old = ConsultationFactory(station=station)
    Consultation.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=1))
    new = ConsultationFactory(station=station)
    overdue = ConsultationFactory(station=station, due_at=now - datetime.timedelta(hours=1))
    client.force_login(officer)
    queue = list(client.get(reverse("legal_aid:triage")).context["page_obj"])
    assert [c.pk for c in queue] == [overdue.pk, old.pk, new.pk]


def test_officer_assigns_from_the_queue_and_lawyer_is_told(client, officer, lawyer, station):
    consultation = ConsultationFactory(station=station)
    client.force_login(officer)
    client.post(reverse("legal_aid:consultation_assign", args=[consultation.pk]), {"lawyer": lawyer.pk})
    consultation.refresh_from_db()
    assert consultation.lawyer == lawyer and consultation.status == "triaged"
    from apps.reminders.models import Notification

    assert Notification.objects.filter(user=lawyer.user, kind="legal_aid.assigned").count() == 1


def test_mediator_moving_to_an_unreachable_stage_sees_the_message(client, mediator):
    case = DisputeCaseFactory()
    case.mediators.add(mediator)
    client.force_login(mediator)
    response = client.post(reverse("legal_aid:case_move", args=[case.pk]), {"to_stage": "closed"}, follow=True)
    assert "案件当前处于“受理”阶段，不能转到“结案”。" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "intake"


def test_event_page_registers_and_then_waitlists(client):
    event = LegalEventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    client.post(reverse("legal_aid:event_register", args=[event.pk]))
    client.force_login(second)
    response = client.post(reverse("legal_aid:event_register", args=[event.pk]), follow=True)
    assert "名额已满，您已进入候补名单" in response.content.decode()
    assert Registration.objects.get(user=second).status == "waiting"


def test_me_panel_lists_my_consultations_and_cases(client, worker, station):
    ConsultationFactory(worker=worker, station=station)
    case = DisputeCaseFactory(station=station)
    case.applicants.create(user=worker, name="刘师傅")
    client.force_login(worker)
    body = client.get(reverse("accounts:me")).content.decode()
    assert "我的咨询" in body and case.number in body


def test_ledger_page_for_station_staff(client, station):
    staff = StationMemberFactory(station=station).user
    client.force_login(staff)
    response = client.post(
        reverse("legal_aid:ledger_new"),
        {
            "station": station.pk,
            "date": timezone.localdate().isoformat(),
            "channel": "visit",
            "topic": "wages",
            "people": 5,
            "new_form_people": 1,
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get().people == 5


def test_role_links_appear_for_the_roles(client, roles, officer):
    client.force_login(officer)
    body = client.get(reverse("legal_aid:index")).content.decode()
    assert "咨询分派" in body
    lawyer_user = UserFactory()
    user_role_add(user=lawyer_user, role="lawyer")
    client.force_login(lawyer_user)
    assert "我的值班" in client.get(reverse("legal_aid:index")).content.decode()


def test_amounts_are_decimal_on_case_page(client, officer, station, pdf):
    case = DisputeCaseFactory(station=station, amount_claimed=Decimal("86000.00"))
    client.force_login(officer)
    assert "86000.00" in client.get(reverse("legal_aid:case", args=[case.pk])).content.decode()
    assert DisputeCase.objects.count() == 1


def test_officer_assigns_a_mediator_through_the_conflict_check(client, officer, mediator):
    employer = OrganizationFactory(name="恒兴科技园")
    insider = UserFactory(real_name="内部调解员", employer=employer)
    user_role_add(user=insider, role="mediator")
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
    assert client.post(reverse("legal_aid:case_mediator", args=[case.pk]), {"mediator": mediator.pk}).status_code == 404


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


def test_swap_through_the_pages_needs_the_colleague_then_the_officer(client, roles, station, lawyer, officer):
    from apps.legal_aid.models import DutyShift, ShiftSwap

    shift = DutyShiftFactory(station=station, lawyer=lawyer)
    colleague = LawyerProfileFactory(stations=[station])
    user_role_add(user=colleague.user, role="lawyer")
    client.force_login(lawyer.user)
    client.post(reverse("legal_aid:duty"), {"action": "swap", "shift": shift.pk, "to_lawyer": colleague.pk})
    swap = ShiftSwap.objects.get()
    client.force_login(officer)
    response = client.post(reverse("legal_aid:roster"), {"swap": swap.pk}, follow=True)
    assert "对方律师接受后才能审批换班。" in response.content.decode()
    client.force_login(colleague.user)
    assert "请我代班" in client.get(reverse("legal_aid:duty")).content.decode()
    client.post(reverse("legal_aid:duty"), {"action": "accept", "swap": swap.pk})
    client.force_login(officer)
    client.post(reverse("legal_aid:roster"), {"swap": swap.pk})
    shift.refresh_from_db()
    assert shift.status == "swapped"
    assert DutyShift.objects.get(lawyer=colleague, date=shift.date).start == shift.start


def test_index_map_lists_public_stations_only(client, station):
    planned = LegalStationFactory(name="筹建站", status="planned", status_reason="筹建中", opened_on=None)
    response = client.get(reverse("legal_aid:index"))
    points = response.context["map_config"]["points"]
    assert [p["name"] for p in points] == ["老黄维权站"]
    assert planned.name not in response.content.decode()


@pytest.mark.parametrize("who", [None, "worker"])
def test_public_pages_stay_within_eight_queries(client, django_assert_max_num_queries, who, station, lawyer, worker):
    """Every public page, anonymous or signed in, at two data sizes (the issue "fast public pages")."""
    event = LegalEventFactory()
    if who:
        client.force_login(worker)
        Registration.objects.create(event=event, user=worker, status="confirmed")
    for size in (1, 6):
        _grow(station, lawyer, size)
        event.invitees.create(name=f"嘉宾{size}", category="npc")
        for url in (
            reverse("legal_aid:index"),
            reverse("legal_aid:station", args=[station.pk]),
            reverse("legal_aid:events"),
            reverse("legal_aid:event", args=[event.pk]),
        ):
            with django_assert_max_num_queries(8):
                response = client.get(url)
            assert response.status_code == 200


def test_event_page_offers_no_form_and_no_csrf_token_to_anonymous_visitors(client, worker):
    event = LegalEventFactory()
    event.invitees.create(name="张代表", category="npc")
    event.invitees.create(name="李委员", category="cppcc")
    page = client.get(reverse("legal_aid:event", args=[event.pk])).content.decode()
    assert "csrfmiddlewaretoken" not in page and "<form" not in page
    assert "?next=" in page
    assert "人大代表 1" in page and "政协委员 1" in page
    client.force_login(worker)
    page = client.get(reverse("legal_aid:event", args=[event.pk])).content.decode()
    assert "csrfmiddlewaretoken" in page
    assert "签到与人数登记" not in page


@pytest.mark.parametrize("name", ["index", "station", "events"])
def test_public_listing_pages_carry_no_csrf_token_for_anonymous_visitors(client, station, lawyer, name):
    LegalEventFactory()
    args = [station.pk] if name == "station" else []
    page = client.get(reverse(f"legal_aid:{name}", args=args)).content.decode()
    assert "csrfmiddlewaretoken" not in page
