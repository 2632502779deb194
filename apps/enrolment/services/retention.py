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


def _live_children(user):
    return (
        Enrolment.objects.filter(person=user, state__in=Enrolment.LIVE, guardian_consent_at__isnull=False)
        .exclude(dependant_name="")
        .exclude(dependant_name__startswith=FORGOTTEN)
        .select_related("roster")
    )


def children_consents(user) -> list:
    """A parent's guardian consent for each child they have enrolled (withdrawable at /me/consents/)."""
    from django.utils.translation import gettext_lazy as _

    from apps.core.contract import Consent

    return [
        Consent(
            f"child-{enrolment.pk}",
            _("为子女报名：%(title)s（%(child)s）")
            % {"title": enrolment.roster.title, "child": enrolment.dependant_name},
            enrolment.guardian_consent_at,
            _("孩子的这项报名将被取消（名额按顺序让给候补），孩子的姓名和监护人电话随即删除。"),
        )
        for enrolment in _live_children(user)
    ]


def child_consent_withdraw(user, key: str) -> None:
    """Withdraw the guardian consent of one child's enrolment: the enrolment is cancelled (a held
    place passes on) and the child's data is forgotten at once."""
    from .offers import enrolment_cancel

    pk = key.removeprefix("child-")
    enrolment = _live_children(user).filter(pk=int(pk) if pk.isdigit() else 0).first()
    if enrolment is None:
        raise LookupError(key)
    if enrolment.state not in (Enrolment.State.ATTENDED, Enrolment.State.NO_SHOW):
        enrolment_cancel(enrolment=enrolment, by=user, reason="监护人撤回同意")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        dependant_name=f"{FORGOTTEN}#{enrolment.pk}", guardian_phone="", updated_at=timezone.now()
    )
    audit_record(actor=user, action=AuditEntry.Action.CHANGE, obj=enrolment, detail="监护人撤回同意，删除子女信息")
