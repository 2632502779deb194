import datetime

import pytest
from django.utils import timezone

from apps.stations.models import Station
from apps.stations.selectors import dashboard_figures, stations_overdue

from .factories import InspectionFactory, StationFactory, VisitFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_counts_open_stations_visits_of_the_year_and_overdue_inspections():
    fresh = StationFactory(opened_on=TODAY - datetime.timedelta(days=10))  # first inspection not yet due
    late = StationFactory(opened_on=datetime.date(2024, 5, 1))  # never inspected: overdue
    inspected = StationFactory(opened_on=datetime.date(2024, 6, 1))
    InspectionFactory(station=inspected, inspected_on=TODAY - datetime.timedelta(days=5))
    lapsed = StationFactory(opened_on=datetime.date(2023, 6, 1), is_24h=False)
    InspectionFactory(station=lapsed, inspected_on=TODAY - datetime.timedelta(days=84))  # due 54 days ago
    StationFactory(status=Station.Status.CLOSED, status_reason="拆迁", opened_on=datetime.date(2024, 3, 1))
    StationFactory(status=Station.Status.PLANNED, opened_on=datetime.date(2024, 12, 1))
    VisitFactory(station=late, day=datetime.date(2024, 3, 3))
    VisitFactory(station=late, day=datetime.date(2024, 12, 31))
    VisitFactory(station=fresh, day=datetime.date(2025, 1, 1))

    figures = dashboard_figures(2024, today=TODAY)

    assert figures == {"year": 2024, "open": 4, "open_24h": 3, "overdue": 2, "opened": 3, "visits": 2}
    assert figures["overdue"] == len(stations_overdue(TODAY))
    assert dashboard_figures(2025, today=TODAY)["visits"] == 1


def test_runs_two_queries_whatever_the_number_of_stations(django_assert_num_queries):
    for _ in range(3):
        InspectionFactory(station=StationFactory())
    with django_assert_num_queries(2):
        dashboard_figures(TODAY.year, today=TODAY)
    for _ in range(12):
        InspectionFactory(station=StationFactory())
        VisitFactory()
    with django_assert_num_queries(2):
        figures = dashboard_figures(TODAY.year, today=TODAY)
    assert figures["open"] == 15 + 12  # VisitFactory makes a station each time


def test_the_visits_figure_is_judged_against_the_plans_target_by_the_one_status_rule():
    from apps.core import registry
    from apps.stations.selectors import dashboard_figure_group
    from apps.tenthings.tests.factories import IndicatorFactory

    def visits_figure():
        registry._TARGETS_MEMO.clear()  # kept per page-cache generation, which no commit moves here
        return next(f for f in dashboard_figure_group(2024).figures if f.key == "visits")

    VisitFactory(day=datetime.date(2024, 3, 3))
    VisitFactory(day=datetime.date(2024, 4, 4))
    assert (visits_figure().target, visits_figure().status) == (None, "")  # no plan links it: neutral
    indicator = IndicatorFactory(item__plan__year=2024, metric_key="stations.visits", target=100)
    figure = visits_figure()
    assert figure.target == 100 and figure.status == "bad"  # 2024 is over and 2 of 100 were made
    indicator.target = 2
    indicator.save()
    assert visits_figure().status == "ok"
