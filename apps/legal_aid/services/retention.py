"""Retention: past the period, closed records keep only what the figures need."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from ..models import CaseApplicant, CaseSession, Consultation, DisputeCase
from .common import retention_days

Stage = DisputeCase.Stage


PURGED = "（已按保存期限删除）"


def records_purge_expired(*, today: datetime.date | None = None) -> int:
    """Past the retention period, closed consultations and cases keep only what the figures need.

    Names, phone numbers, questions, answers and files are removed; topic, station, dates, outcome
    and amounts stay, so the yearly figures do not change. Returns how many records were cleared.
    """
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)) - datetime.timedelta(
        days=retention_days()
    )
    done = 0
    ended = [
        Consultation.Status.CLOSED,
        Consultation.Status.CANCELLED,
        Consultation.Status.NO_SHOW,
        Consultation.Status.UNREACHABLE,
    ]
    stale = Consultation.objects.filter(status__in=ended, closed_at__lt=cutoff).exclude(question=PURGED)
    for consultation in stale.iterator():
        with transaction.atomic():
            for attachment in consultation.attachments.all():
                attachment.file.delete(save=False)
                attachment.delete()
            Consultation.objects.filter(pk=consultation.pk).update(
                contact_name=PURGED[:40],
                contact_phone="",
                question=PURGED,
                answer="",
                employer_name="",
                rating_comment="",
            )
            audit_record(
                actor=None, action=AuditEntry.Action.CHANGE, obj=consultation, detail=_("按保存期限删除个人信息")
            )
        done += 1
    cases = DisputeCase.objects.filter(stage=Stage.CLOSED, closed_on__lt=cutoff.date()).exclude(claim=PURGED)
    for case in cases.iterator():
        with transaction.atomic():
            for document in case.documents.all():
                document.file.delete(save=False)
                document.delete()
            if case.agreement_file:
                case.agreement_file.delete(save=False)
            CaseApplicant.objects.filter(case=case).update(name=PURGED[:40], phone="", user=None)
            CaseSession.objects.filter(case=case).update(attendees="", minutes=PURGED)
            DisputeCase.objects.filter(pk=case.pk).update(claim=PURGED, agreement_file="")
            audit_record(actor=None, action=AuditEntry.Action.CHANGE, obj=case, detail=_("按保存期限删除个人信息"))
        done += 1
    return done
