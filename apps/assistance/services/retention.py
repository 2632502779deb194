"""The retention period: a closed or refused case is anonymised ``ASSISTANCE_RETENTION_DAYS``
after it ended. The case, its ledger and its timeline stay (the figures rest on them); the
names, phone, story, household, visit notes and papers go."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from ..models import Document, HelpRequest, HomeVisit
from .common import retention_days

ANONYMISED = "（已匿名）"


@transaction.atomic
def records_purge_expired(now=None) -> int:
    """Daily: anonymise the cases whose retention period has run out; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    expired = HelpRequest.objects.exclude(applicant_name=ANONYMISED).filter(
        Q(state=HelpRequest.State.CLOSED, closed_at__lt=cutoff)
        | Q(state=HelpRequest.State.REFUSED, decided_at__lt=cutoff)
    )
    ids = list(expired.values_list("pk", flat=True))
    for document in Document.objects.filter(request_id__in=ids):
        document.file.delete(save=False)
    Document.objects.filter(request_id__in=ids).delete()
    HomeVisit.objects.filter(request_id__in=ids).update(notes="", visitor_one=ANONYMISED, visitor_two=ANONYMISED)
    HelpRequest.objects.filter(pk__in=ids).update(
        applicant_name=ANONYMISED, phone="", household_members="", story="", employer_name="", check_note=""
    )
    detail = _("保存期满，已匿名化")
    for pk in ids:
        audit_record(actor=None, action=AuditEntry.Action.CHANGE, obj=HelpRequest(pk=pk), detail=detail)
    return len(ids)
