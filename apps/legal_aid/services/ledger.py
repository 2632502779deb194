"""The service ledger: rows from answered consultations and from station staff."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Consultation, LedgerEntry
from ..selectors.access import stations_staffed_by


def ledger_add_for_consultation(consultation: Consultation) -> LedgerEntry:
    """The ledger row of an answered consultation, made once (the one-to-one field guarantees it)."""
    existing = LedgerEntry.objects.filter(consultation=consultation).first()
    if existing:
        return existing
    channel = (
        LedgerEntry.Channel.VISIT if consultation.channel == Consultation.Channel.SLOT else LedgerEntry.Channel.PHONE
    )
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                station_id=consultation.station_id,
                date=timezone.localdate(consultation.answered_at or timezone.now()),
                channel=channel,
                topic=consultation.topic,
                people=1,
                new_form_people=1 if consultation.is_new_form else 0,
                consultation=consultation,
                is_demo=consultation.is_demo,
            )
    except IntegrityError:
        return LedgerEntry.objects.get(consultation=consultation)


def ledger_add(*, station, by, date, channel, topic, people, new_form_people=0, note="", is_demo=False) -> LedgerEntry:
    """A walk-in, call, enterprise visit or event recorded by station staff or officers."""
    if not stations_staffed_by(by).filter(pk=station.pk).exists():
        raise ValidationError(_("只有本站工作人员可以登记服务台账。"))
    if date > timezone.localdate():
        raise ValidationError({"date": _("台账日期不能晚于今天。")})
    entry = LedgerEntry(
        station=station,
        date=date,
        channel=channel,
        topic=topic,
        people=people,
        new_form_people=new_form_people,
        note=note,
        entered_by=by,
        is_demo=is_demo,
    )
    if new_form_people > people:
        raise ValidationError({"new_form_people": _("新就业形态人数不能多于服务人数。")})
    entry.full_clean()
    entry.save()
    return entry
