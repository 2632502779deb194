import pytest

from apps.core.geo import distance_m, format_distance, parse_point


def test_distance_between_two_xinghua_points_is_plausible():
    # about 1.11 km per 0.01 degree of latitude
    assert 1100 < distance_m(32.93, 119.84, 32.94, 119.84) < 1120


@pytest.mark.parametrize(
    ("lat", "lng", "expected"),
    [
        ("32.93", "119.84", (32.93, 119.84)),
        ("91", "119", None),
        ("32", "200", None),
        ("abc", "119", None),
        (None, None, None),
        ("nan", "1", None),
        ("-90", "-180", (-90.0, -180.0)),
    ],
)
def test_parse_point_accepts_only_valid_wgs84(lat, lng, expected):
    assert parse_point(lat, lng) == expected


def test_format_distance_switches_units_at_a_kilometre():
    assert format_distance(850.4) == "850 米"
    assert format_distance(3249) == "3.2 公里"
