"""Writes of the assistance app (views, the API, the admin and tasks call these)."""

from .casework import (
    check_record,
    close,
    decide,
    help_record,
    help_reverse,
    objection_send,
    publicity_open,
    recheck_record,
    refuse,
    screen,
    visit_record,
)
from .common import OFFICER, is_caseworker, is_officer, publicity_days, publicity_window, retention_days
from .reminders import recheck_remind
from .requests import document_add, document_remove, draft_save, missing_steps, request_submit, union_for
from .retention import records_purge_expired

__all__ = [
    "OFFICER",
    "check_record",
    "close",
    "decide",
    "document_add",
    "document_remove",
    "draft_save",
    "help_record",
    "help_reverse",
    "is_caseworker",
    "is_officer",
    "missing_steps",
    "objection_send",
    "publicity_days",
    "publicity_open",
    "publicity_window",
    "recheck_record",
    "recheck_remind",
    "records_purge_expired",
    "refuse",
    "request_submit",
    "retention_days",
    "screen",
    "union_for",
    "visit_record",
]
