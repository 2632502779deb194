"""Writes of the enrolment engine. Every change to who holds a place runs under a row lock on
the roster (``select_for_update``), so sign-ups, cancellations, offers and their expiry are
serialised per roster: 500 people for 100 places end with exactly 100 holding one, and a
cancellation racing an offer expiry never offers one place twice (the counters are re-read
under the lock, and a check constraint keeps ``taken`` within ``places``).

Reminders go out after the transaction commits, through ``reminders.services.notify_all`` with
natural keys (at most once per person and key).
"""

from .after import (
    REMINDED,
    no_shows_mark,
    occasion_cancel,
    roster_close,
    roster_open,
    roster_tell_all,
    satisfaction_ask,
    satisfaction_submit,
    tomorrow_remind,
)
from .checkin import (
    CheckinResult,
    checkin,
    checkin_by_phone,
    door_token,
    door_token_occasion,
    person_code,
    person_from_code,
)
from .common import OFFER_CUTOFF_HOURS, QUIET_HOURS
from .draw import draw_notify, draw_order, draw_replay, draw_run
from .offers import enrolment_cancel, offer_accept, offer_decline, offers_expire
from .retention import children_forget_expired
from .signup import (
    SignupResult,
    occasion_add,
    roster_create,
    signup,
    waiting_position,
)

__all__ = [
    "CheckinResult",
    "OFFER_CUTOFF_HOURS",
    "QUIET_HOURS",
    "REMINDED",
    "SignupResult",
    "checkin",
    "checkin_by_phone",
    "children_forget_expired",
    "door_token",
    "door_token_occasion",
    "draw_notify",
    "draw_order",
    "draw_replay",
    "draw_run",
    "enrolment_cancel",
    "no_shows_mark",
    "occasion_add",
    "occasion_cancel",
    "offer_accept",
    "offer_decline",
    "offers_expire",
    "person_code",
    "person_from_code",
    "roster_close",
    "roster_create",
    "roster_open",
    "roster_tell_all",
    "satisfaction_ask",
    "satisfaction_submit",
    "signup",
    "tomorrow_remind",
    "waiting_position",
]
