"""Retention of children's data: a child's name and the guardian's phone are kept only while the
activity needs them, then removed (children's data counts as sensitive under PIPL).

An enrolment's figures (who came, how old) stay: the name becomes a marker unique per
enrolment (the one-live-enrolment constraint keys on it) and the guardian's phone is cleared.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from ..models import Enrolment

FORGOTTEN = "（已按保存期限删除）"


def children_forget_expired(*, now=None) -> int:
    """Past ``ENROLMENT_CHILD_RETENTION_DAYS`` after a roster's last occasion ended (or after the
    enrolment, for a roster without occasions), forget the children enrolled in it. Idempotent;
    returns how many enrolments were cleared."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ENROLMENT_CHILD_RETENTION_DAYS)
    stale = (
        Enrolment.objects.exclude(dependant_name="")
        .exclude(dependant_name__startswith=FORGOTTEN)
        .annotate(last_end=Max("roster__occasions__ends_at"))
        .filter(Q(last_end__lt=cutoff) | Q(last_end__isnull=True, created_at__lt=cutoff))
    )
    done = 0
    for enrolment in stale.iterator():
        with transaction.atomic():
            Enrolment.objects.filter(pk=enrolment.pk).update(
                dependant_name=f"{FORGOTTEN}#{enrolment.pk}", guardian_phone="", updated_at=now
            )
            audit_record(
                actor=None,
                action=AuditEntry.Action.CHANGE,
                obj=enrolment,
                detail="按保存期限删除子女姓名与监护人电话",
            )
        done += 1
    return done
