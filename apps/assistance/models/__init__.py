from .records import Document, Event, HomeVisit, LedgerEntry, Objection
from .requests import OPEN_STATES, SCHEME_STATES, AskedHelp, Band, HelpRequest, IncomeBand, Reason

__all__ = [
    "OPEN_STATES",
    "SCHEME_STATES",
    "AskedHelp",
    "Band",
    "Document",
    "Event",
    "HelpRequest",
    "HomeVisit",
    "IncomeBand",
    "LedgerEntry",
    "Objection",
    "Reason",
]
