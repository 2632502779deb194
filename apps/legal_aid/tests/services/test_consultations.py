"""Consultations: consent, attachments, bookings, callbacks, answers, ratings, closing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.models import CalendarDay
from apps.legal_aid import services
from apps.legal_aid.models import CallbackAttempt, Consultation, DisputeCase, DutyShift, LedgerEntry

from ..factories import ConsultationFactory, DutyShiftFactory, LawyerProfileFactory, UserFactory, submit_consultation

pytestmark = pytest.mark.django_db


def test_a_consultation_without_consent_is_refused(worker, station):
    with pytest.raises(ValidationError) as exc:
        submit_consultation(worker, station, consent=False)
    assert exc.value.message_dict["consent"] == ["请阅读并同意《个人信息保护告知》后再提交咨询。"]
    assert not Consultation.objects.exists()


def test_an_attachment_that_is_not_a_real_pdf_or_image_is_refused(worker, station):
    fake = SimpleUploadedFile("contract.pdf", b"MZ this is an exe", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        submit_consultation(worker, station, attachments=[("contract", fake)])
    assert "不是有效的 PDF、图片或 Word/Excel 文件" in exc.value.message_dict["attachments"][0]
    assert not Consultation.objects.exists()


def test_an_attachment_that_is_too_large_is_refused(worker, station, settings, pdf):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        submit_consultation(worker, station, attachments=[("contract", pdf())])
    assert "单个文件不能超过" in exc.value.message_dict["attachments"][0]
    assert not Consultation.objects.exists()


def test_a_health_appraisal_needs_separate_consent(worker, station, pdf):
    with pytest.raises(ValidationError) as exc:
        submit_consultation(worker, station, attachments=[("appraisal", pdf())])
    assert "敏感个人信息" in exc.value.message_dict["health_consent"][0]
    assert not Consultation.objects.exists()
    consultation = submit_consultation(worker, station, attachments=[("appraisal", pdf())], health_consent=True)
    attachment = consultation.attachments.get()
    assert attachment.file.name.endswith(".pdf")
    assert "private_media" in attachment.file.path


def test_booking_a_full_shift_is_refused(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer, slots=1)
    submit_consultation(UserFactory(), station, channel="slot", shift=shift)
    with pytest.raises(ValidationError) as exc:
        submit_consultation(worker, station, channel="slot", shift=shift)
    assert exc.value.message_dict["shift"] == ["该值班时段已约满，请选择其他时段。"]
    assert Consultation.objects.count() == 1


def test_booking_a_past_shift_is_refused(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer, date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        submit_consultation(worker, station, channel="slot", shift=shift)
    assert exc.value.message_dict["shift"] == ["该值班时段已过或已取消，请选择其他时段。"]
    assert not Consultation.objects.exists()


def test_a_booked_slot_goes_straight_to_the_shift_lawyer(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer)
    consultation = submit_consultation(worker, station, channel="slot", shift=shift)
    assert consultation.status == Consultation.Status.SCHEDULED
    assert consultation.lawyer == lawyer


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


def _booked(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer)
    return submit_consultation(worker, station, channel="slot", shift=shift), shift


def test_a_no_show_is_recorded_only_once_the_booked_slot_has_begun(worker, station, lawyer):
    consultation, shift = _booked(worker, station, lawyer)
    with pytest.raises(ValidationError) as exc:
        services.consultation_no_show(consultation=consultation, by=lawyer.user)
    assert exc.value.messages == ["只有预约时段开始后才能登记未到场。"]
    DutyShift.objects.filter(pk=shift.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    services.consultation_no_show(consultation=consultation, by=lawyer.user)
    consultation.refresh_from_db()
    assert (consultation.status, consultation.closed_at is not None) == (Consultation.Status.NO_SHOW, True)
    with pytest.raises(ValidationError):
        services.consultation_no_show(consultation=consultation, by=lawyer.user)


def test_only_the_handler_records_a_no_show(worker, station, lawyer, stranger):
    consultation, shift = _booked(worker, station, lawyer)
    DutyShift.objects.filter(pk=shift.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.consultation_no_show(consultation=consultation, by=stranger)
    assert exc.value.messages == ["只有承办律师可以处理该咨询。"]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.SCHEDULED


def _weekdays_after(day, n):
    found = []
    while len(found) < n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            found.append(day)
    return found


def test_the_first_answer_is_due_within_the_working_days_of_the_calendar(worker, station, settings):
    settings.LEGAL_AID_RESPONSE_WORKING_DAYS = 2
    today = timezone.localdate()
    plain = submit_consultation(worker, station)
    assert timezone.localdate(plain.due_at) == _weekdays_after(today, 2)[-1]
    # The next two weekdays become a statutory holiday: they no longer count.
    for day in _weekdays_after(today, 2):
        CalendarDay.objects.create(day=day, kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    before_holiday = submit_consultation(worker, station)
    assert timezone.localdate(before_holiday.due_at) == _weekdays_after(today, 4)[-1]
    assert timezone.localtime(before_holiday.due_at).time() == timezone.localtime(before_holiday.consent_at).time()
