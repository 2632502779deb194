"""What the legal-aid views share: the page size and running a service with its messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from .. import selectors
from ..models import LegalStation

PER_PAGE = 30


def run_service(request, action, *, success: str) -> bool:
    """Call ``action``; its ValidationError messages become error messages, else ``success`` is shown."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def open_stations_kept_by(user):
    """Open stations whose ledger and intake this person keeps (every open station for legal officers)."""
    return selectors.stations_staffed_by(user).filter(status=LegalStation.Status.OPEN)
