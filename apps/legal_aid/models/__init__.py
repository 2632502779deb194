"""Legal aid (法律维权): stations, duty roster, consultations, dispute cases, ledger, events, audit.

One module per family of models; every model is importable from here as before
(``from apps.legal_aid.models import Consultation``).
"""

from .audit import LegalAidAudit
from .cases import CaseApplicant, CaseDocument, CaseEvent, CaseSession, ConflictCheck, DisputeCase
from .choices import WEEKDAY_CHOICES, Service, Topic
from .consultations import OPEN_STATES, Attachment, CallbackAttempt, Consultation, ConsultationQuerySet
from .events import EventInvitee, LegalEvent, LegalEventQuerySet
from .ledger import LedgerEntry
from .rota import DutyShift, LawyerProfile, RotaTemplate, ShiftMode, ShiftSwap
from .stations import LegalStation, LegalStationQuerySet, StationMember, StationMemberQuerySet, StationPartner

__all__ = [
    "Attachment",
    "CallbackAttempt",
    "CaseApplicant",
    "CaseDocument",
    "CaseEvent",
    "CaseSession",
    "ConflictCheck",
    "Consultation",
    "ConsultationQuerySet",
    "DisputeCase",
    "DutyShift",
    "EventInvitee",
    "LawyerProfile",
    "LedgerEntry",
    "LegalAidAudit",
    "LegalEvent",
    "LegalEventQuerySet",
    "LegalStation",
    "LegalStationQuerySet",
    "OPEN_STATES",
    "RotaTemplate",
    "Service",
    "ShiftMode",
    "ShiftSwap",
    "StationMember",
    "StationMemberQuerySet",
    "StationPartner",
    "Topic",
    "WEEKDAY_CHOICES",
]
