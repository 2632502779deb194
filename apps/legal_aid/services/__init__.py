"""Every rule of legal aid: writes go through these functions (admin and public views alike).

One module per section; everything is importable from here as before
(``from apps.legal_aid.services import case_move``).
"""

from .cases import (
    CASE_TRANSITIONS,
    case_document_add,
    case_mediator_assign,
    case_move,
    case_open,
    case_performance_set,
    case_session_add,
)
from .common import legal_officers, response_days, retention_days, station_staff_ids
from .conflicts import conflict_check, require_cleared
from .consultations import (
    callback_log,
    consultation_answer,
    consultation_assign,
    consultation_cancel,
    consultation_close,
    consultation_no_show,
    consultation_rate,
    consultation_submit,
)
from .events import (
    event_enrolments,
    event_mark_held,
    event_register,
    event_roster,
    registration_cancel,
    registration_check_in,
)
from .ledger import ledger_add, ledger_add_for_consultation
from .reminders import (
    appointments_tomorrow_notify,
    callbacks_due_notify,
    case_clocks_notify,
    consultations_overdue_notify,
    ledger_monthly_request,
    shifts_tomorrow_notify,
    shifts_unconfirmed_notify,
)
from .retention import PURGED, records_purge_expired
from .rota import rota_generate, shift_check, shift_confirm, shift_create, swap_accept, swap_approve, swap_request
from .stations import station_save

__all__ = [
    "CASE_TRANSITIONS",
    "PURGED",
    "appointments_tomorrow_notify",
    "callback_log",
    "callbacks_due_notify",
    "case_clocks_notify",
    "case_document_add",
    "case_mediator_assign",
    "case_move",
    "case_open",
    "case_performance_set",
    "case_session_add",
    "conflict_check",
    "consultation_answer",
    "consultation_assign",
    "consultation_cancel",
    "consultation_close",
    "consultation_no_show",
    "consultation_rate",
    "consultation_submit",
    "consultations_overdue_notify",
    "event_mark_held",
    "event_register",
    "event_enrolments",
    "event_roster",
    "ledger_add",
    "ledger_add_for_consultation",
    "ledger_monthly_request",
    "legal_officers",
    "records_purge_expired",
    "registration_cancel",
    "registration_check_in",
    "require_cleared",
    "response_days",
    "retention_days",
    "rota_generate",
    "shift_check",
    "shift_confirm",
    "shift_create",
    "shifts_tomorrow_notify",
    "shifts_unconfirmed_notify",
    "station_save",
    "station_staff_ids",
    "swap_accept",
    "swap_approve",
    "swap_request",
]
