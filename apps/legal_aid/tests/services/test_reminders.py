"""Reminders go out once each, whatever the retries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.enrolment import services as engine
from apps.legal_aid import services, tasks
from apps.reminders.models import Notification

from ..factories import (
    ConsultationFactory,
    DisputeCaseFactory,
    DutyShiftFactory,
    LegalEventFactory,
    StationMemberFactory,
)

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_next_day_shift_reminder_once(lawyer, station):
    shift = DutyShiftFactory(station=station, lawyer=lawyer, date=timezone.localdate() + datetime.timedelta(days=1))
    assert tasks.shifts_tomorrow_notify() == 1
    assert tasks.shifts_tomorrow_notify() == 0
    assert _kinds(lawyer.user) == [f"legal_aid:shift-tomorrow:{shift.pk}"]


def test_unconfirmed_shift_three_days_ahead_tells_station_staff(lawyer, station):
    staff = StationMemberFactory(station=station).user
    DutyShiftFactory(station=station, lawyer=lawyer, date=timezone.localdate() + datetime.timedelta(days=3))
    assert services.shifts_unconfirmed_notify() == 1
    assert len(_kinds(staff)) == 1


def test_day_before_booked_slot_reminds_the_worker(worker, station, lawyer):
    shift = DutyShiftFactory(station=station, lawyer=lawyer, date=timezone.localdate() + datetime.timedelta(days=1))
    ConsultationFactory(worker=worker, station=station, channel="slot", shift=shift, lawyer=lawyer, status="scheduled")
    assert services.appointments_tomorrow_notify() == 1
    assert services.appointments_tomorrow_notify() == 0


def test_overdue_consultation_tells_lawyer_and_staff_once(station, lawyer):
    staff = StationMemberFactory(station=station).user
    ConsultationFactory(
        station=station, lawyer=lawyer, status="triaged", due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert services.consultations_overdue_notify() == 2
    assert services.consultations_overdue_notify() == 0
    assert _kinds(staff) and _kinds(lawyer.user)


def test_callback_due_in_30_minutes(station, lawyer):
    ConsultationFactory(
        station=station,
        lawyer=lawyer,
        status="triaged",
        channel="callback",
        callback_from=timezone.now() + datetime.timedelta(minutes=20),
        callback_to=timezone.now() + datetime.timedelta(hours=2),
    )
    assert services.callbacks_due_notify() == 1
    assert services.callbacks_due_notify() == 0


def test_case_clocks_fire_once_each(mediator, station, pdf):
    today = timezone.localdate()
    staff = StationMemberFactory(station=station).user
    day10 = DisputeCaseFactory(station=station, stage="mediating", applied_on=today - datetime.timedelta(days=10))
    day15 = DisputeCaseFactory(station=station, stage="mediating", applied_on=today - datetime.timedelta(days=16))
    paid = DisputeCaseFactory(station=station, stage="mediating")
    for case in (day10, day15, paid):
        case.mediators.add(mediator)
    services.case_move(
        case=paid,
        to_stage="settled",
        by=mediator,
        agreement_file=pdf(),
        amount_agreed=Decimal("1"),
        payment_due=today - datetime.timedelta(days=1),
    )
    old = DisputeCaseFactory(
        station=station, arose_on=today - datetime.timedelta(days=340), applied_on=today - datetime.timedelta(days=3)
    )
    old.mediators.add(mediator)
    services.case_clocks_notify()
    services.case_clocks_notify()
    keys = set(_kinds(mediator))
    assert {
        f"legal_aid:case-day10:{day10.pk}",
        f"legal_aid:case-day10:{day15.pk}",
        f"legal_aid:case-payment:{paid.pk}",
        f"legal_aid:case-11months:{old.pk}",
    } <= keys
    assert f"legal_aid:case-11months:{day10.pk}" not in keys
    assert _kinds(staff) == [f"legal_aid:case-day15:{day15.pk}"]
    assert Notification.objects.filter(user=mediator).count() == len(keys)


def test_event_tomorrow_reminds_confirmed_registrants(worker):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    starts = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10)))
    event = LegalEventFactory(starts_at=starts, capacity=1)
    services.event_register(event=event, user=worker)
    # The enrolment engine's day-before reminder covers legal events (one reminder path for places).
    assert engine.tomorrow_remind(today=tomorrow - datetime.timedelta(days=1)) == 1
    assert engine.tomorrow_remind(today=tomorrow - datetime.timedelta(days=1)) == 0
    assert Notification.objects.get(user=worker, kind="enrolment.tomorrow").url.startswith(event.get_absolute_url())


def test_promotion_from_the_waiting_list_is_notified(worker, stranger, django_capture_on_commit_callbacks):
    event = LegalEventFactory(capacity=1)
    seat = services.event_register(event=event, user=stranger).enrolment
    services.event_register(event=event, user=worker)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seat, by=stranger)
    offer = Notification.objects.get(user=worker, kind="enrolment.offered")
    assert offer.url == event.get_absolute_url()


def test_monthly_ledger_request(station):
    staff = StationMemberFactory(station=station).user
    assert services.ledger_monthly_request() == 1
    assert services.ledger_monthly_request() == 0
    assert len(_kinds(staff)) == 1
