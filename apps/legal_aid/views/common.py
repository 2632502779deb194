"""What the legal-aid views share: page size, the officer check, running a service with messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from ..models import LegalStation, StationMember

PER_PAGE = 30
OFFICER = "legal_aid.view_private_records"


def is_officer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm(OFFICER))


def run_service(request, action, *, success: str):
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def staff_stations(user):
    """Open stations whose records this person keeps (all of them for legal officers)."""
    stations = LegalStation.objects.filter(status=LegalStation.Status.OPEN)
    if is_officer(user):
        return stations
    return stations.filter(pk__in=StationMember.objects.current().filter(user=user).values("station_id"))
