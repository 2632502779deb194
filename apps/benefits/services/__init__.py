"""Writes of the benefits app. Places, waiting lists, offers, the draw and check-in are the
enrolment engine's (one row lock per roster); this package keeps the programme, its rules, its
slots and the applications in step with it and writes every change to the core audit log."""

from . import apply as apply_module
from .apply import application_cancel, apply, nominate, offer_confirm, offer_decline, person_context
from .delivery import book, provider_checkin, rate
from .draw import allocation_preview, allocation_run
from .setup import programme_save, slot_add

__all__ = [
    "apply_module",
    "allocation_preview",
    "allocation_run",
    "application_cancel",
    "apply",
    "book",
    "nominate",
    "offer_confirm",
    "offer_decline",
    "person_context",
    "programme_save",
    "provider_checkin",
    "rate",
    "slot_add",
]
