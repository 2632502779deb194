"""The list page: one query for the rows, the exact ranking a page at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.stations import selectors
from apps.stations.models import Station

from ..factories import AmenityFactory, StationFactory
from ..points import HOME, brute_force, bulk_stations, offset

pytestmark = pytest.mark.django_db


def test_list_page_without_a_position_is_one_query_in_list_order():
    meal, water = AmenityFactory(code="meal", sort_order=0), AmenityFactory(code="water", sort_order=1)
    b = StationFactory(name="乙站", amenities=[water, meal])
    a = StationFactory(name="甲站", town=b.town)
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.station_list_page(selectors.station_search(), 1, 20)
    assert len(ctx.captured_queries) == 1
    assert page.count == 2
    assert [r["pk"] for r in page.rows] == list(
        Station.objects.filter(pk__in=[a.pk, b.pk]).order_by("town__sort_order", "name").values_list("pk", flat=True)
    )
    row = next(r for r in page.rows if r["pk"] == b.pk)
    assert sorted(row["amenity_ids"].split(",")) == sorted([str(meal.pk), str(water.pk)])


def test_list_page_with_a_position_pages_the_exact_ranking():
    bulk_stations([offset(HOME, north_m=700 * i, east_m=300 * (i % 3)) for i in range(45)])
    StationFactory(latitude=None, longitude=None)  # counted, never ranked
    expected = brute_force(HOME)
    qs = selectors.station_search()
    for number in (1, 2, 3):
        page = selectors.station_list_page(qs, number, 20, HOME)
        assert page.count == 46
        want = expected[(number - 1) * 20 : number * 20]
        assert [(r["pk"], r["distance"]) for r in page.rows] == want
