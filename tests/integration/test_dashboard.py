import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.tenthings.tests.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(user_with_role):
    return user_with_role("leader")


def test_requires_login_and_the_leader_role(client):
    make_plan(items=1, indicators=1, reports=1)
    url = reverse("dashboard:index")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(url).status_code == 200


def test_dashboard_runs_a_fixed_number_of_queries(client, leader, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_plan(year=2023, items=2, indicators=1, reports=1)
    client.force_login(leader)
    with CaptureQueriesContext(connection) as small_queries:
        small = client.get(reverse("dashboard:index") + "?year=2023")
    # The plan section and the page itself cost a fixed handful; every app's dashboard figures add
    # their own fixed few (stations: counts, visits, the overdue list; news; legal aid; innovation;
    # activities; membership; benefits; assistance — 57 in all when measured). What matters is
    # below: the count does not grow with the data.
    assert len(small_queries) <= 60
    make_plan(year=2022, items=10, indicators=5, reports=6)
    _stations_and_news(year=2022, n=8)
    # At most as many: the first page also filled what is cached for every page (the demo notice).
    with django_assert_max_num_queries(len(small_queries)):
        big = client.get(reverse("dashboard:index") + "?year=2022")
    assert small.status_code == big.status_code == 200
    assert "牵头部门完成率排名" in big.content.decode()


def _stations_and_news(*, year, n):
    import datetime

    from django.utils import timezone

    from apps.news.tests.factories import ArticleFactory
    from apps.stations.tests.factories import InspectionFactory, StationFactory, VisitFactory

    for i in range(n):
        station = StationFactory(opened_on=datetime.date(year, 3, 1))
        InspectionFactory(station=station)
        VisitFactory(station=station, day=datetime.date(year, 5, i + 1))
        ArticleFactory(published_at=timezone.make_aware(datetime.datetime(year, 6, i + 1, 9)))


def test_dashboard_shows_station_and_news_figures_of_the_selected_year(client, leader):
    import datetime

    from apps.stations.tests.factories import StationFactory

    make_plan(year=2022, items=1, indicators=1, reports=1)
    _stations_and_news(year=2022, n=3)
    StationFactory(opened_on=datetime.date(2020, 1, 1))  # never inspected: overdue
    client.force_login(leader)
    response = client.get(reverse("dashboard:index") + "?year=2022")
    groups = {group.key: {f.key: f.value for f in group.figures} for group in response.context["figure_groups"]}
    stations, news = groups["stations"], groups["news"]
    assert (stations["open"], stations["visits"], stations["opened"], stations["overdue"]) == (4, 3, 3, 1)
    assert news["published"] == 3
    body = response.content.decode()
    assert 'data-testid="dash-stations"' in body and 'data-figure="stations.visits"' in body
    assert "该年职工扫码签到次数" in body  # each number says what it counts


def test_dashboard_leaves_out_apps_that_are_not_installed(client, leader, settings):
    make_plan(year=2022, items=1, indicators=1, reports=1)
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app not in ("apps.stations", "apps.news")]
    client.force_login(leader)
    response = client.get(reverse("dashboard:index") + "?year=2022")
    assert response.status_code == 200
    keys = {group.key for group in response.context["figure_groups"]}
    assert "stations" not in keys and "news" not in keys
    body = response.content.decode()
    assert 'data-testid="dash-stations"' not in body and 'data-testid="dash-news"' not in body


def test_lagging_items_come_first_and_export_works(client, leader):
    from decimal import Decimal

    from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory, ReportFactory

    plan = PlanFactory(year=2023)
    done = IndicatorFactory(item=ItemFactory(plan=plan, number=1), target=Decimal("10"))
    ReportFactory(indicator=done, amount=Decimal("10"), reported_on=plan_date(plan))
    IndicatorFactory(item=ItemFactory(plan=plan, number=2))
    client.force_login(leader)
    response = client.get(reverse("dashboard:index") + "?year=2023")
    assert [p.item.number for p in response.context["ordered"]] == [2, 1]
    export = client.get(reverse("dashboard:export") + "?year=2023")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def plan_date(plan):
    import datetime

    return datetime.date(plan.year, 12, 20)
