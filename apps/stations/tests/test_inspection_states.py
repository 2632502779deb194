"""Journey 17: an untouched inspection form records nothing; 全部正常 is one explicit tick; overdue first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.stations.models import Inspection, InspectionItem

from .factories import InspectionFactory, StationFactory

pytestmark = pytest.mark.django_db


def _url(station):
    return reverse("stations:inspection_new", args=[station.pk])


def test_no_state_is_preset(client, keeper, station):
    client.force_login(keeper)
    body = client.get(_url(station)).content.decode()
    assert "checked" not in body.split('name="all_ok"')[0].split("设施检查")[1]


def test_an_untouched_form_records_no_inspection_and_says_what_to_do(client, keeper, station):
    client.force_login(keeper)
    response = client.post(_url(station), {"inspected_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "请为这一项选择正常、损坏或缺失" in response.content.decode()
    assert not Inspection.objects.exists()


def test_all_ok_marks_every_item_not_marked_otherwise(client, keeper, station, microwave):
    client.force_login(keeper)
    data = {"inspected_on": timezone.localdate().isoformat(), "all_ok": "on", f"state_{microwave.pk}": "broken"}
    assert client.post(_url(station), data).status_code == 302
    states = dict(InspectionItem.objects.values_list("amenity__code", "state"))
    assert states == {"hot-meal": "broken", "water": "ok"}


def test_the_overdue_station_is_listed_first(client, keeper, station):
    fresh = StationFactory(name="刚巡检的驿站", keepers=[keeper])
    InspectionFactory(station=fresh, inspected_on=timezone.localdate())
    InspectionFactory(station=station, inspected_on=timezone.localdate() - datetime.timedelta(days=400))
    client.force_login(keeper)
    body = client.get(reverse("stations:keeper")).content.decode()
    assert body.index(station.name) < body.index(fresh.name)
    assert "巡检逾期" in body
