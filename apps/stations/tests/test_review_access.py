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


def test_the_same_problem_sent_twice_reaches_the_keepers_once(
    client, station, worker, keeper, django_capture_on_commit_callbacks
):
    from apps.reminders.models import Notification
    from apps.stations.models import Report

    client.force_login(worker)
    data = {"score": "2", "report_kind": "broken", "report_note": "微波炉不加热"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stations:feedback", args=[station.pk]), data)
        client.post(reverse("stations:feedback", args=[station.pk]), data)
    assert Report.objects.count() == 1
    assert Notification.objects.filter(user=keeper, kind="stations.report").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stations:feedback", args=[station.pk]), {**data, "report_note": "饮水机也坏了"})
    assert Report.objects.count() == 2
