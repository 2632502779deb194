"""Every bad input is refused with a clear Chinese message and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.legal_aid import services
from apps.legal_aid.models import (
    CallbackAttempt,
    CaseEvent,
    ConflictCheck,
    Consultation,
    DisputeCase,
    DutyShift,
    LedgerEntry,
    LegalStation,
    Registration,
    RotaTemplate,
)

from .factories import (
    ConsultationFactory,
    DisputeCaseFactory,
    DutyShiftFactory,
    LawyerProfileFactory,
    LegalEventFactory,
    LegalStationFactory,
    OrganizationFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _submit(worker, station, **extra):
    data = {
        "worker": worker,
        "station": station,
        "topic": "wages",
        "question": "老板拖欠工资",
        "channel": "written",
        "consent": True,
        "contact_name": "刘师傅",
        "contact_phone": "13800000000",
    }
    data.update(extra)
    return services.consultation_submit(**data)


# --- Stations ------------------------------------------------------------------------------


def test_a_second_grassroots_station_in_the_same_town_is_refused():
    town = TownFactory(name="戴南镇")
    LegalStationFactory(town=town, kind="grassroots")
    second = LegalStation(
        code="x2", name="戴南第二站", kind="grassroots", town=town, status="open", opened_on=datetime.date(2024, 5, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=second)
    assert "戴南镇已有基层工会法律服务站，每个乡镇/街道只能建一个。" in exc.value.messages
    assert LegalStation.objects.filter(town=town).count() == 1


def test_the_database_itself_refuses_two_grassroots_stations_in_a_town():
    town = TownFactory()
    LegalStationFactory(town=town, kind="grassroots")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalStationFactory(town=town, kind="grassroots")


def test_a_flagship_may_share_a_town_with_the_grassroots_station():
    town = TownFactory()
    LegalStationFactory(town=town, kind="grassroots")
    services.station_save(
        station=LegalStation(
            code="flag",
            name="老黄维权站",
            kind="flagship",
            town=town,
            status="open",
            opened_on=datetime.date(2021, 5, 1),
        )
    )
    assert LegalStation.objects.filter(town=town).count() == 2


def test_a_station_not_open_needs_a_reason():
    station = LegalStation(code="p1", name="筹建站", kind="grassroots", town=TownFactory(), status="planned")
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=station)
    assert "服务站未开放时请填写原因（如筹建进度、暂停或关闭原因）。" in exc.value.messages
    assert not LegalStation.objects.filter(code="p1").exists()


# --- Roster --------------------------------------------------------------------------------


def test_an_overlapping_shift_is_refused(lawyer, station):
    day = timezone.localdate() + datetime.timedelta(days=3)
    services.shift_create(station=station, lawyer=lawyer, date=day, start=datetime.time(9), end=datetime.time(11))
    with pytest.raises(ValidationError) as exc:
        services.shift_create(
            station=station, lawyer=lawyer, date=day, start=datetime.time(10, 30), end=datetime.time(12)
        )
    assert "时间重叠" in exc.value.messages[0]
    assert "黄律师" in exc.value.messages[0]
    assert DutyShift.objects.count() == 1


def test_a_shift_at_a_station_the_lawyer_does_not_serve_is_refused(lawyer):
    other = LegalStationFactory(name="远方服务站")
    with pytest.raises(ValidationError) as exc:
        services.shift_create(
            station=other, lawyer=lawyer, date=timezone.localdate(), start=datetime.time(9), end=datetime.time(11)
        )
    assert exc.value.messages == ["黄律师不在远方服务站服务，不能在该站排班。"]
    assert not DutyShift.objects.exists()


def test_rota_template_makes_weekly_shifts_and_skips_clashes(lawyer, station):
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    template = RotaTemplate.objects.create(
        station=station, lawyer=lawyer, weekday=1, start=datetime.time(9), end=datetime.time(11, 30), valid_from=monday
    )
    services.shift_create(
        station=station,
        lawyer=lawyer,
        date=monday + datetime.timedelta(days=8),
        start=datetime.time(10),
        end=datetime.time(12),
    )
    result = services.rota_generate(template=template, until=monday + datetime.timedelta(days=27))
    assert result["made"] == 3
    assert len(result["skipped"]) == 1
    assert DutyShift.objects.filter(template=template).count() == 3
    again = services.rota_generate(template=template, until=monday + datetime.timedelta(days=27))
    assert again["made"] == 0


def test_swap_needs_the_other_lawyer_then_staff(lawyer, station, officer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer)
    colleague = LawyerProfileFactory(stations=[station])
    swap = services.swap_request(shift=shift, to_lawyer=colleague, by=lawyer.user)
    with pytest.raises(ValidationError):
        services.swap_approve(swap=swap, by=officer)
    with pytest.raises(ValidationError):
        services.swap_accept(swap=swap, by=lawyer.user)
    services.swap_accept(swap=swap, by=colleague.user)
    new = services.swap_approve(swap=swap, by=officer)
    shift.refresh_from_db()
    assert shift.status == DutyShift.Status.SWAPPED
    assert new.lawyer == colleague


# --- Consultations -------------------------------------------------------------------------


def test_a_consultation_without_consent_is_refused(worker, station):
    with pytest.raises(ValidationError) as exc:
        _submit(worker, station, consent=False)
    assert exc.value.message_dict["consent"] == ["请阅读并同意《个人信息保护告知》后再提交咨询。"]
    assert not Consultation.objects.exists()


def test_an_attachment_that_is_not_a_real_pdf_or_image_is_refused(worker, station):
    fake = SimpleUploadedFile("contract.pdf", b"MZ this is an exe", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _submit(worker, station, attachments=[("contract", fake)])
    assert "不是有效的 PDF、图片或 Word/Excel 文件" in exc.value.message_dict["attachments"][0]
    assert not Consultation.objects.exists()


def test_an_attachment_that_is_too_large_is_refused(worker, station, settings, pdf):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        _submit(worker, station, attachments=[("contract", pdf())])
    assert "单个文件不能超过" in exc.value.message_dict["attachments"][0]
    assert not Consultation.objects.exists()


def test_a_health_appraisal_needs_separate_consent(worker, station, pdf):
    with pytest.raises(ValidationError) as exc:
        _submit(worker, station, attachments=[("appraisal", pdf())])
    assert "敏感个人信息" in exc.value.message_dict["health_consent"][0]
    assert not Consultation.objects.exists()
    consultation = _submit(worker, station, attachments=[("appraisal", pdf())], health_consent=True)
    attachment = consultation.attachments.get()
    assert attachment.file.name.endswith(".pdf")
    assert "private_media" in attachment.file.path


def test_booking_a_full_shift_is_refused(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer, slots=1)
    _submit(UserFactory(), station, channel="slot", shift=shift)
    with pytest.raises(ValidationError) as exc:
        _submit(worker, station, channel="slot", shift=shift)
    assert exc.value.message_dict["shift"] == ["该值班时段已约满，请选择其他时段。"]
    assert Consultation.objects.count() == 1


def test_booking_a_past_shift_is_refused(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer, date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        _submit(worker, station, channel="slot", shift=shift)
    assert exc.value.message_dict["shift"] == ["该值班时段已过或已取消，请选择其他时段。"]
    assert not Consultation.objects.exists()


def test_a_booked_slot_goes_straight_to_the_shift_lawyer(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer)
    consultation = _submit(worker, station, channel="slot", shift=shift)
    assert consultation.status == Consultation.Status.SCHEDULED
    assert consultation.lawyer == lawyer


def test_a_lawyer_who_fails_the_conflict_check_cannot_be_assigned(worker, station, officer):
    client = OrganizationFactory(name="东华链条兴化有限公司")
    conflicted = LawyerProfileFactory(stations=[station], advised=[client])
    consultation = _submit(worker, station, employer_name="东华链条兴化有限公司")
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


def test_the_fourth_failed_callback_is_refused_after_closing_as_unreachable(worker, station, lawyer):
    consultation = ConsultationFactory(worker=worker, station=station, lawyer=lawyer, status="triaged")
    for _i in range(3):
        services.callback_log(consultation=consultation, by=lawyer.user, reached=False)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.UNREACHABLE
    assert consultation.outcome == Consultation.Outcome.UNREACHABLE
    with pytest.raises(ValidationError) as exc:
        services.callback_log(consultation=consultation, by=lawyer.user, reached=False)
    assert exc.value.messages == ["已 3 次回拨未接通，该咨询已按“无法联系”办结，不能再登记回拨。"]
    assert CallbackAttempt.objects.count() == 3


def test_only_the_assigned_lawyer_answers(worker, station, lawyer):
    consultation = ConsultationFactory(worker=worker, station=station, lawyer=lawyer, status="triaged")
    other = LawyerProfileFactory(stations=[station])
    with pytest.raises(ValidationError):
        services.consultation_answer(consultation=consultation, by=other.user, answer="x")
    assert not LedgerEntry.objects.exists()


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


def test_a_worker_rates_once(worker, station, lawyer):
    consultation = ConsultationFactory(worker=worker, station=station, lawyer=lawyer, status="triaged")
    services.consultation_answer(consultation=consultation, by=lawyer.user, answer="答复")
    services.consultation_rate(consultation=consultation, by=worker, rating=4)
    with pytest.raises(ValidationError) as exc:
        services.consultation_rate(consultation=consultation, by=worker, rating=1)
    assert exc.value.messages == ["您已经评价过这条咨询，每条咨询只能评价一次。"]
    consultation.refresh_from_db()
    assert consultation.rating == 4


def test_closing_as_mediation_opens_a_numbered_case(worker, station, lawyer):
    consultation = ConsultationFactory(
        worker=worker, station=station, lawyer=lawyer, status="triaged", employer_name="恒兴科技园"
    )
    services.consultation_close(
        consultation=consultation, by=lawyer.user, outcome="mediation", amount_claimed=Decimal("8000")
    )
    case = DisputeCase.objects.get(source_consultation=consultation)
    assert case.number == f"XHGH-TJ-{timezone.localdate().year}-0001"
    assert case.applicants.get().user == worker
    assert case.respondent_name == "恒兴科技园"
    assert case.events.count() == 1


# --- Cases ---------------------------------------------------------------------------------


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


def test_a_mediator_employed_by_the_respondent_fails_the_conflict_check(officer):
    employer = OrganizationFactory(name="恒兴科技园")
    insider = UserFactory(employer=employer)
    case = DisputeCaseFactory(respondent_name="恒兴科技园")
    with pytest.raises(ValidationError) as exc:
        services.case_mediator_assign(case=case, mediator=insider, by=officer)
    assert "本人在对方单位任职" in exc.value.messages[0]
    assert not case.mediators.exists()


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


# --- Events --------------------------------------------------------------------------------


def test_a_registration_for_a_full_event_goes_to_the_waiting_list_and_is_promoted():
    event = LegalEventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    mine = services.event_register(event=event, user=first)
    assert mine.status == Registration.Status.CONFIRMED
    assert services.event_register(event=event, user=second).status == Registration.Status.WAITING
    assert services.event_register(event=event, user=third).status == Registration.Status.WAITING
    with pytest.raises(ValidationError) as exc:
        services.event_register(event=event, user=second)
    assert exc.value.messages == ["您已经报名了这个活动。"]
    promoted = services.registration_cancel(registration=mine, by=first)
    assert promoted.user == second
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "waiting"}


def test_event_held_counts_checked_in_and_invitees():
    event = LegalEventFactory(capacity=5, starts_at=timezone.now() + datetime.timedelta(minutes=1))
    registration = services.event_register(event=event, user=UserFactory())
    services.registration_check_in(registration=registration, by=None)
    event.invitees.create(name="人大代表甲", category="npc", attended=True)
    event.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    services.event_mark_held(event=event, by=None)
    event.refresh_from_db()
    assert (event.status, event.head_count) == ("held", 2)


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


def test_records_past_retention_lose_personal_data_but_keep_the_figures(worker, station, lawyer, pdf, settings):
    settings.LEGAL_AID_RETENTION_DAYS = 30
    consultation = _submit(worker, station, attachments=[("contract", pdf())])
    Consultation.objects.filter(pk=consultation.pk).update(
        status="closed", outcome="answered", closed_at=timezone.now() - datetime.timedelta(days=40)
    )
    recent = _submit(worker, station)
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
