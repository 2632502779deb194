"""The duty roster: shifts, weekly rota templates and swaps between lawyers."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DutyShift, LawyerProfile, RotaTemplate, ShiftSwap


def _overlapping(lawyer, date, start, end, exclude_pk=None):
    qs = DutyShift.objects.filter(lawyer=lawyer, date=date, start__lt=end, end__gt=start).exclude(
        status__in=[DutyShift.Status.SWAPPED, DutyShift.Status.MISSED]
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def shift_check(*, lawyer, station, date, start, end, exclude_pk=None) -> None:
    """Refuse a shift at a station the lawyer does not serve, or overlapping another of theirs."""
    if not lawyer.stations.filter(pk=station.pk).exists():
        raise ValidationError(
            _("%(lawyer)s不在%(station)s服务，不能在该站排班。") % {"lawyer": lawyer, "station": station}
        )
    clash = _overlapping(lawyer, date, start, end, exclude_pk)
    if clash:
        raise ValidationError(
            _("%(lawyer)s在%(date)s %(start)s–%(end)s已有值班（%(station)s），时间重叠。")
            % {
                "lawyer": lawyer,
                "date": date.strftime("%Y-%m-%d"),
                "start": clash.start.strftime("%H:%M"),
                "end": clash.end.strftime("%H:%M"),
                "station": clash.station,
            }
        )


def shift_create(
    *, station, lawyer, date, start, end, mode="on_site", slots=4, template=None, is_demo=False
) -> DutyShift:
    """Roster a lawyer: only at a station they serve, never overlapping another of their shifts."""
    with transaction.atomic():
        LawyerProfile.objects.select_for_update().get(pk=lawyer.pk)  # serialise one lawyer's rostering
        shift_check(lawyer=lawyer, station=station, date=date, start=start, end=end)
        shift = DutyShift(
            station=station,
            lawyer=lawyer,
            date=date,
            start=start,
            end=end,
            mode=mode,
            slots=slots,
            template=template,
            is_demo=is_demo,
        )
        shift.full_clean()
        shift.save()
    return shift


def rota_generate(*, template: RotaTemplate, until: datetime.date, since: datetime.date | None = None) -> dict:
    """Make the template's shifts up to ``until``; dates already covered or clashing are skipped."""
    day = max(since or template.valid_from, template.valid_from)
    last = min(until, template.valid_to) if template.valid_to else until
    while day.weekday() != template.weekday:
        day += datetime.timedelta(days=1)
    made, skipped = 0, []
    while day <= last:
        try:
            shift_create(
                station=template.station,
                lawyer=template.lawyer,
                date=day,
                start=template.start,
                end=template.end,
                mode=template.mode,
                slots=template.slots,
                template=template,
            )
            made += 1
        except ValidationError as exc:
            skipped.append((day, exc.messages[0]))
        day += datetime.timedelta(days=7)
    return {"made": made, "skipped": skipped}


def shift_confirm(*, shift: DutyShift, by) -> DutyShift:
    if shift.lawyer.user_id != by.pk:
        raise ValidationError(_("只能确认自己的值班。"))
    if shift.status != DutyShift.Status.SCHEDULED:
        raise ValidationError(_("该值班不是待确认状态。"))
    shift.status = DutyShift.Status.CONFIRMED
    shift.save(update_fields=["status", "updated_at"])
    return shift


def swap_request(*, shift: DutyShift, to_lawyer: LawyerProfile, by) -> ShiftSwap:
    """A lawyer asks a colleague to take a shift; the colleague must be free and serve the station."""
    if shift.lawyer.user_id != by.pk:
        raise ValidationError(_("只能为自己的值班申请换班。"))
    if not shift.active or shift.date < timezone.localdate():
        raise ValidationError(_("该值班已结束或不可换班。"))
    shift_check(lawyer=to_lawyer, station=shift.station, date=shift.date, start=shift.start, end=shift.end)
    try:
        with transaction.atomic():
            return ShiftSwap.objects.create(shift=shift, to_lawyer=to_lawyer)
    except IntegrityError:
        raise ValidationError(_("该值班已有待处理的换班申请。")) from None


def swap_accept(*, swap: ShiftSwap, by) -> ShiftSwap:
    if swap.to_lawyer.user_id != by.pk or swap.status != ShiftSwap.Status.REQUESTED:
        raise ValidationError(_("只有被邀请的律师可以接受换班。"))
    swap.status = ShiftSwap.Status.ACCEPTED
    swap.save(update_fields=["status", "updated_at"])
    return swap


def swap_approve(*, swap: ShiftSwap, by) -> DutyShift:
    """Staff approve: the old shift is marked swapped and the colleague gets a new one."""
    if swap.status != ShiftSwap.Status.ACCEPTED:
        raise ValidationError(_("对方律师接受后才能审批换班。"))
    with transaction.atomic():
        old = DutyShift.objects.select_for_update().get(pk=swap.shift_id)
        old.status = DutyShift.Status.SWAPPED
        old.save(update_fields=["status", "updated_at"])
        new = shift_create(
            station=old.station,
            lawyer=swap.to_lawyer,
            date=old.date,
            start=old.start,
            end=old.end,
            mode=old.mode,
            slots=old.slots,
        )
        old.bookings.update(shift=new, lawyer=swap.to_lawyer)
        swap.status = ShiftSwap.Status.APPROVED
        swap.decided_by = by
        swap.save(update_fields=["status", "decided_by", "updated_at"])
    return new
