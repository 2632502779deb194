"""A worker withdraws the separate consent for health data (伤残鉴定等材料) on their consultations."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_record
from apps.core.contract import Consent
from apps.core.models import AuditEntry

from ..models import Attachment, Consultation

HEALTH = "health"


def consents_of(user) -> list[Consent]:
    mine = Consultation.objects.filter(worker=user, health_consent_at__isnull=False)
    given = mine.aggregate(at=Max("health_consent_at"))
    if given["at"] is None:
        return []
    return [
        Consent(
            HEALTH,
            _("法律咨询：处理健康信息（伤残鉴定等材料）"),
            given["at"],
            _("您上传的伤残鉴定等健康材料将被删除，律师不再依据这些材料答复；咨询本身照常办理。"),
        )
    ]


def health_consent_withdraw(user) -> int:
    """Delete the health documents of the person's consultations and clear the consent; returns how many files went."""
    removed = 0
    with transaction.atomic():
        mine = Consultation.objects.select_for_update().filter(worker=user, health_consent_at__isnull=False)
        for consultation in mine:
            for attachment in consultation.attachments.filter(kind=Attachment.Kind.APPRAISAL):
                attachment.file.delete(save=False)
                attachment.delete()
                removed += 1
            consultation.health_consent_at = None
            consultation.save(update_fields=["health_consent_at", "updated_at"])
            audit_record(
                actor=user,
                action=AuditEntry.Action.CHANGE,
                obj=consultation,
                detail="撤回健康信息同意，删除伤残鉴定材料",
            )
    return removed
