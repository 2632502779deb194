"""Stations: one grassroots station per town, a reason when not open."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import LegalStation


def station_save(*, station: LegalStation) -> LegalStation:
    """Validate and save a station (one grassroots station per town, reason when not open)."""
    station.full_clean()
    try:
        with transaction.atomic():
            station.save()
    except IntegrityError:
        raise ValidationError(
            {"town": _("%(town)s已有基层工会法律服务站，每个乡镇/街道只能建一个。") % {"town": station.town}}
        ) from None
    return station
