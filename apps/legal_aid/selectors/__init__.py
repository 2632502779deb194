"""Reads of legal aid: each owns its joins so pages run a fixed number of queries.

One module per area; everything is importable from here as before
(``from apps.legal_aid.selectors import triage_queue``).
"""

from .access import (
    OFFICER,
    PRIVATE_RECORDS,
    attachments_visible,
    audit_visible,
    case_documents_visible,
    cases_run_by,
    cases_visible,
    conflict_checks_visible,
    consultations_handled_by,
    consultations_visible,
    stations_staffed_by,
)
from .events import event_detail, events_archive, events_upcoming
from .figures import (
    dashboard_figure_group,
    metric_events_held,
    metric_grassroots_stations,
    metric_new_form_served,
    metric_people_served,
)
from .panels import home_panel_context, me_panel_context, my_records
from .records import (
    cases_with_parts,
    consultations_with_parts,
    lawyer_queue,
    mediator_cases,
    triage_count,
    triage_queue,
)
from .rota import ShiftRow, bookable_shifts, duty_this_week, lawyer_shifts, shifts_between, shifts_public
from .stations import PersonRow, station_detail, stations_public

__all__ = [
    "OFFICER",
    "PRIVATE_RECORDS",
    "PersonRow",
    "ShiftRow",
    "attachments_visible",
    "audit_visible",
    "bookable_shifts",
    "case_documents_visible",
    "cases_run_by",
    "cases_visible",
    "cases_with_parts",
    "conflict_checks_visible",
    "consultations_handled_by",
    "consultations_visible",
    "consultations_with_parts",
    "dashboard_figure_group",
    "duty_this_week",
    "event_detail",
    "events_archive",
    "events_upcoming",
    "home_panel_context",
    "lawyer_queue",
    "lawyer_shifts",
    "me_panel_context",
    "mediator_cases",
    "metric_events_held",
    "metric_grassroots_stations",
    "metric_new_form_served",
    "metric_people_served",
    "my_records",
    "shifts_between",
    "shifts_public",
    "station_detail",
    "stations_public",
    "stations_staffed_by",
    "triage_count",
    "triage_queue",
]
