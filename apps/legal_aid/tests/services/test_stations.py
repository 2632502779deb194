"""Stations: one grassroots station per town, a reason when not open."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.legal_aid import services
from apps.legal_aid.models import LegalStation

from ..factories import LegalStationFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_a_second_grassroots_station_in_the_same_town_is_refused():
    town = TownFactory(name="戴南镇")
    LegalStationFactory(town=town, kind="grassroots")
    second = LegalStation(
        code="x2", name="戴南第二站", kind="grassroots", town=town, status="open", opened_on=datetime.date(2024, 5, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=second)
    assert "戴南镇已有基层工会法律服务站，每个乡镇/街道只能建一个。" in exc.value.messages
    assert LegalStation.objects.filter(town=town).count() == 1


def test_the_database_itself_refuses_two_grassroots_stations_in_a_town():
    town = TownFactory()
    LegalStationFactory(town=town, kind="grassroots")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalStationFactory(town=town, kind="grassroots")


def test_a_flagship_may_share_a_town_with_the_grassroots_station():
    town = TownFactory()
    LegalStationFactory(town=town, kind="grassroots")
    services.station_save(
        station=LegalStation(
            code="flag",
            name="老黄维权站",
            kind="flagship",
            town=town,
            status="open",
            opened_on=datetime.date(2021, 5, 1),
        )
    )
    assert LegalStation.objects.filter(town=town).count() == 2


def test_a_station_not_open_needs_a_reason():
    station = LegalStation(code="p1", name="筹建站", kind="grassroots", town=TownFactory(), status="planned")
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=station)
    assert "服务站未开放时请填写原因（如筹建进度、暂停或关闭原因）。" in exc.value.messages
    assert not LegalStation.objects.filter(code="p1").exists()
