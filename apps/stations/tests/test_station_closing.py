"""A station is never deleted: it closes on a date, and its check-ins and inspections stay."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import RequestFactory

from apps.accounts.tests.factories import UserFactory
from apps.stations.models import Station, Visit

from .factories import InspectionFactory, StationFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_closing_a_station_requires_its_closing_date():
    station = StationFactory()
    station.status = Station.Status.CLOSED
    station.status_reason = "公园改造"
    station.closed_on = None
    with pytest.raises(ValidationError) as refused:
        station.full_clean()
    assert "closed_on" in refused.value.message_dict


def test_a_station_with_check_ins_cannot_be_deleted_and_the_admin_offers_no_delete():
    station = StationFactory()
    VisitFactory(station=station)
    InspectionFactory(station=station)
    with pytest.raises(ProtectedError):
        station.delete()
    assert Visit.objects.filter(station=station).count() == 1
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not site._registry[Station].has_delete_permission(request, station)
