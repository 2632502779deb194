"""The map's markers: one query, shared until a write commits, map.json made once per marker list."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.stations import selectors
from apps.stations.models import Station
from apps.stations.selectors import markers

from ..factories import StationFactory

pytestmark = pytest.mark.django_db


def _at(lat, lng, **kwargs):
    return StationFactory(latitude=Decimal(str(lat)), longitude=Decimal(str(lng)), **kwargs)


def test_map_points_make_one_query_and_carry_distances(django_assert_num_queries):
    for i in range(5):
        _at(32.93 + i / 100, 119.84)
    with django_assert_num_queries(1):
        points = selectors.station_map_points({}, (32.93, 119.84))
    assert [p["distance_m"] for p in points] == sorted(p["distance_m"] for p in points)
    assert points[0]["url"] == f"/stations/{points[0]['id']}/"


def test_map_markers_are_shared_until_a_station_change_commits(
    settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.FRAGMENT_CACHE_ENABLED = True
    first = StationFactory(name="旧名")
    selectors.station_map_points({})
    with django_assert_num_queries(0):
        assert [m["name"] for m in selectors.station_map_points({})] == ["旧名"]
    first.name = "新名"
    first.save()
    StationFactory(name="新站")
    assert [m["name"] for m in selectors.station_map_points({})] == ["旧名"]  # not committed yet
    with django_capture_on_commit_callbacks(execute=True):
        first.save()
    names = {m["name"] for m in selectors.station_map_points({})}
    assert names == {"新名", "新站"}


def test_map_markers_are_built_afresh_each_time_when_shared_fragments_are_off(settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    station = StationFactory(name="旧名")
    assert [m["name"] for m in selectors.station_map_points({})] == ["旧名"]
    station.name = "新名"
    station.save()
    assert [m["name"] for m in selectors.station_map_points({})] == ["新名"]


def test_map_json_goes_gzipped_to_browsers_and_is_made_once_per_marker_list(
    client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    import gzip
    import json

    settings.FRAGMENT_CACHE_ENABLED = True  # the marker list is a shared fragment
    StationFactory.create_batch(30)
    url = reverse("stations:map_json")
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    built = []
    real = markers._map_json
    monkeypatch.setattr(markers, "_map_json", lambda *args: built.append(args) or real(*args))

    for _ in range(3):
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert json.loads(gzip.decompress(packed.content)) == plain.json()
        assert len(packed.content) < len(plain.content) / 3
    assert built == []  # the body made for the first request, kept for the others

    # A change to a station makes it afresh; a position is each visitor's own and never packed.
    station = Station.objects.first()
    station.name = "新名字驿站"
    with django_capture_on_commit_callbacks(execute=True):  # the write commits
        station.save()
    fresh = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "新名字驿站" in gzip.decompress(fresh.content).decode() and len(built) == 1
    near = client.get(url, {"lat": "32.93", "lng": "119.84"}, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in near and near.json()["stations"][0]["distance_m"] >= 0


def test_without_a_shared_cache_no_marker_list_is_kept_in_the_process(settings, monkeypatch):
    settings.FRAGMENT_CACHE_ENABLED = True
    monkeypatch.setattr(markers, "current_generation", lambda: None)  # the cache is down: no generation
    StationFactory(name="甲站")
    assert [m["name"] for m in selectors.station_map_points({})] == ["甲站"]
    StationFactory(name="乙站")  # the same minute, the same filters: still read afresh
    assert sorted(m["name"] for m in selectors.station_map_points({})) == ["乙站", "甲站"]
