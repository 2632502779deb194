"""Writes of the membership app, re-exported by section."""

from .applications import (
    application_accept,
    application_refer,
    application_return,
    application_staff_notify,
    application_submit,
    member_number_issue,
    overdue_remind,
)
from .cards import CARD_MAX_AGE, CardCheck, card_token, card_verify, mask_name
from .common import decision_days, is_officer, may_decide_for, setup_days, staffed_union_ids
from .routing import RouteChoice, route_for
from .setup import (
    setup_overdue_remind,
    setup_request_move,
    setup_request_notify,
    setup_request_submit,
    setup_town_union,
)
from .transfers import (
    member_leave,
    transfer_accept,
    transfer_decline,
    transfer_request,
    transfer_staff_notify,
    transfers_overdue_remind,
)

__all__ = [
    "CARD_MAX_AGE",
    "CardCheck",
    "RouteChoice",
    "application_accept",
    "application_refer",
    "application_return",
    "application_staff_notify",
    "application_submit",
    "card_token",
    "card_verify",
    "decision_days",
    "is_officer",
    "mask_name",
    "may_decide_for",
    "member_leave",
    "member_number_issue",
    "overdue_remind",
    "route_for",
    "setup_days",
    "setup_overdue_remind",
    "setup_request_move",
    "setup_request_notify",
    "setup_request_submit",
    "setup_town_union",
    "staffed_union_ids",
    "transfer_accept",
    "transfer_decline",
    "transfer_request",
    "transfer_staff_notify",
    "transfers_overdue_remind",
]
