"""Thin views: read through selectors, write through services, private records answer 404.

One module per area; every view is importable from here as before (``views.case_detail``).
"""

from .cases import case_detail, case_file, case_mediator, case_move, case_new, case_performance, case_session
from .consultations import (
    attachment_download,
    consultation_answer,
    consultation_assign,
    consultation_callback,
    consultation_cancel,
    consultation_close,
    consultation_detail,
    consultation_new,
    consultation_no_show,
    consultation_rate,
)
from .public import (
    event_detail,
    event_register,
    events,
    index,
    registration_cancel,
    registration_offer,
    station_detail,
)
from .staff import duty, event_checkin, ledger_new, mediation, roster, triage

__all__ = [
    "attachment_download",
    "case_detail",
    "case_file",
    "case_mediator",
    "case_move",
    "case_new",
    "case_performance",
    "case_session",
    "consultation_answer",
    "consultation_assign",
    "consultation_callback",
    "consultation_cancel",
    "consultation_close",
    "consultation_detail",
    "consultation_new",
    "consultation_no_show",
    "consultation_rate",
    "duty",
    "event_checkin",
    "event_detail",
    "event_register",
    "events",
    "index",
    "ledger_new",
    "mediation",
    "registration_cancel",
    "registration_offer",
    "roster",
    "station_detail",
    "triage",
]
