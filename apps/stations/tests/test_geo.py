import pytest

from apps.stations.geo import display_point, wgs84_to_gcj02


def test_wgs84_to_gcj02_matches_the_published_reference_point():
    # Reference pair from the widely used coordtransform library (Beijing, 天安门 area).
    lat, lng = wgs84_to_gcj02(39.915, 116.404)
    assert lat == pytest.approx(39.91640428150164, abs=1e-9)
    assert lng == pytest.approx(116.41024449916938, abs=1e-9)


def test_wgs84_to_gcj02_shifts_xinghua_by_a_few_hundred_metres():
    from apps.core.geo import distance_m

    lat, lng = wgs84_to_gcj02(32.93, 119.84)
    assert 100 < distance_m(32.93, 119.84, lat, lng) < 800


def test_points_outside_china_are_left_alone():
    assert wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)


def test_display_point_converts_only_for_gcj02_tiles(settings):
    settings.MAP_TILE_COORDS = "wgs84"
    assert display_point(32.93, 119.84) == (32.93, 119.84)
    settings.MAP_TILE_COORDS = "gcj02"
    assert display_point(32.93, 119.84) != (32.93, 119.84)
