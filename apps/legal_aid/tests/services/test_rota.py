"""The duty roster: no overlaps, only at stations the lawyer serves, rota templates, swaps."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.legal_aid import services
from apps.legal_aid.models import DutyShift, RotaTemplate

from ..factories import DutyShiftFactory, LawyerProfileFactory, LegalStationFactory

pytestmark = pytest.mark.django_db


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
