"""Reads of legal aid: each owns its joins so pages run a fixed number of queries.

One module per area; everything is importable from here as before
(``from apps.legal_aid.selectors import triage_queue``).
"""

from .events import event_detail, events_archive, events_upcoming
from .figures import (
    EVENTS_TARGET,
    GRASSROOTS_TARGET,
    PEOPLE_TARGET,
    dashboard_figure_group,
    metric_events_held,
    metric_grassroots_stations,
    metric_new_form_served,
    metric_people_served,
)
from .records import case_for, consultation_for, lawyer_queue, mediator_cases, my_records, triage_count, triage_queue
from .rota import ShiftRow, bookable_shifts, duty_this_week, lawyer_shifts, shifts_between, shifts_public
from .stations import PersonRow, station_detail, stations_public

__all__ = [
    "EVENTS_TARGET",
    "GRASSROOTS_TARGET",
    "PEOPLE_TARGET",
    "PersonRow",
    "ShiftRow",
    "bookable_shifts",
    "case_for",
    "consultation_for",
    "dashboard_figure_group",
    "duty_this_week",
    "event_detail",
    "events_archive",
    "events_upcoming",
    "lawyer_queue",
    "lawyer_shifts",
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
    "triage_count",
    "triage_queue",
]
