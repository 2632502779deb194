"""Who sees which private record: one visible queryset per record type.

Pages, file downloads and the admin all read consultations, cases, their files and the audit
log through these, so a record is guarded the same way everywhere: a page takes
``object_or_404(consultations_visible(user), pk=pk)``, the admin filters its rows with the same
function. Least privilege, the same for consultations, cases and their files:

- the worker: their own consultations and the cases they applied in;
- legal officers (and superusers, through ``user_holds``): everything (triage needs the unassigned);
- the assigned lawyer: their consultations and cases; the assigned mediator: their cases;
- a station's head (站长): that station's consultations and cases;
- other station members (a lawyer rostered there, a liaison, a volunteer, ledger staff): only
  what is assigned to them — and the station's service ledger (``stations_staffed_by``);
- anonymous visitors: nothing.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from apps.accounts.roles import user_holds

from ..models import (
    Attachment,
    CaseDocument,
    ConflictCheck,
    Consultation,
    DisputeCase,
    LegalAidAudit,
    LegalStation,
    StationMember,
)

# Held by the legal_officer role: every consultation and case, and running any of them.
PRIVATE_RECORDS = "legal_aid.view_private_records"
# The role whose pages are triage, assigning lawyers and mediators, approving swaps and event check-in.
OFFICER = "legal_officer"


def _member_station_ids(user):
    return StationMember.objects.current().filter(user=user).values("station_id")


def _headed_station_ids(user):
    """Stations this person heads now (站长): the only members who read a station's records."""
    return StationMember.objects.current().filter(user=user, role=StationMember.Role.HEAD).values("station_id")


def stations_staffed_by(user) -> QuerySet[LegalStation]:
    """Stations whose records this person keeps: their current memberships, every station for officers."""
    if not getattr(user, "is_authenticated", False):
        return LegalStation.objects.none()
    if user_holds(user, PRIVATE_RECORDS):
        return LegalStation.objects.all()
    return LegalStation.objects.filter(pk__in=_member_station_ids(user))


def consultations_visible(user) -> QuerySet[Consultation]:
    """What this person may see: their own, assigned to them, the stations they head, or all for officers."""
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    if user_holds(user, PRIVATE_RECORDS):
        return Consultation.objects.all()
    return Consultation.objects.filter(
        Q(worker=user) | Q(lawyer__user=user) | Q(station_id__in=_headed_station_ids(user))
    )


def consultations_handled_by(user) -> QuerySet[Consultation]:
    """The consultations this person may act on (call back, answer, close): the assigned lawyer's, all for officers."""
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    if user_holds(user, PRIVATE_RECORDS):
        return Consultation.objects.all()
    return Consultation.objects.filter(lawyer__user=user)


def cases_visible(user) -> QuerySet[DisputeCase]:
    """Cases this person may see: as applicant, mediator, lawyer, head of the station, or all for officers."""
    if not getattr(user, "is_authenticated", False):
        return DisputeCase.objects.none()
    if user_holds(user, PRIVATE_RECORDS):
        return DisputeCase.objects.all()
    return DisputeCase.objects.filter(
        Q(applicants__user=user)
        | Q(mediators=user)
        | Q(lawyer__user=user)
        | Q(station_id__in=_headed_station_ids(user))
    ).distinct()


def cases_run_by(user) -> QuerySet[DisputeCase]:
    """The cases this person may carry forward: their mediations and the cases of the stations
    they head, all for officers."""
    if not getattr(user, "is_authenticated", False):
        return DisputeCase.objects.none()
    if user_holds(user, PRIVATE_RECORDS):
        return DisputeCase.objects.all()
    return DisputeCase.objects.filter(Q(mediators=user) | Q(station_id__in=_headed_station_ids(user))).distinct()


def attachments_visible(user) -> QuerySet[Attachment]:
    """Files of the consultations this person may see."""
    return Attachment.objects.filter(consultation__in=consultations_visible(user).values("pk"))


def case_documents_visible(user) -> QuerySet[CaseDocument]:
    """Files of the cases this person may see."""
    return CaseDocument.objects.filter(case__in=cases_visible(user).values("pk"))


def conflict_checks_visible(user) -> QuerySet[ConflictCheck]:
    """Conflict checks of the consultations and cases this person may see."""
    return ConflictCheck.objects.filter(
        Q(consultation__in=consultations_visible(user).values("pk")) | Q(case__in=cases_visible(user).values("pk"))
    )


def audit_visible(user) -> QuerySet[LegalAidAudit]:
    """The core audit log's lines about consultations and cases: officers read all of them, nobody else any."""
    if not user_holds(user, PRIVATE_RECORDS):
        return LegalAidAudit.objects.none()
    types = list(ContentType.objects.get_for_models(Consultation, DisputeCase).values())
    return LegalAidAudit.objects.filter(content_type__in=types)
