"""Keeper pages change only what a keeper may change, and only through POST."""

import pytest
from django.urls import reverse

from apps.stations.models import Station

from .factories import StationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status, reason", [(Station.Status.CLOSED, "已拆除"), (Station.Status.PLANNED, "")], ids=["closed", "planned"]
)
def test_a_keeper_cannot_open_a_station_staff_closed_or_still_plan(client, keeper, status, reason):
    station = StationFactory(status=status, status_reason=reason, keepers=[keeper])
    client.force_login(keeper)
    response = client.post(
        reverse("stations:keeper_edit", args=[station.pk]), {"phone": "0523-9", "status": "open", "status_reason": ""}
    )
    assert response.status_code == 200
    station.refresh_from_db()
    assert station.status == status


def test_a_keeper_still_reopens_a_station_they_suspended(client, keeper):
    station = StationFactory(status=Station.Status.SUSPENDED, status_reason="停电", keepers=[keeper])
    client.force_login(keeper)
    client.post(
        reverse("stations:keeper_edit", args=[station.pk]), {"phone": "", "status": "open", "status_reason": ""}
    )
    station.refresh_from_db()
    assert station.status == Station.Status.OPEN and station.status_reason == ""
