"""Pages listing a person's own records run a fixed number of queries, however many records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.news.models import Article
from apps.news.tests.factories import ArticleFactory
from apps.reminders.services import notification_send
from apps.stations.models import Rating, Report
from apps.stations.tests.factories import InspectionFactory, StationFactory
from apps.tenthings.models import Follow, ProgressReport
from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory, ReportFactory

EDITOR, STATION_KEEPER = "editor", "station_keeper"

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(user_with_role):
    return user_with_role([EDITOR, STATION_KEEPER], username="busy-person")


def _records(user, n, *, offset):
    """n of everything the /me/ panels and the personal pages list."""
    plan = PlanFactory(year=2024)
    for i in range(n):
        station = StationFactory(keepers=[user])
        InspectionFactory(station=station, inspected_on=timezone.localdate() - datetime.timedelta(days=1 + i % 28))
        Rating.objects.create(station=station, user=user, score=4, comment="好")
        Report.objects.create(station=station, user=user, kind=Report.Kind.choices[0][0], note="坏了")
        item = ItemFactory(plan=plan, number=(offset + i) % 10 + 1, responsible=user)
        Follow.objects.create(item=item, user=user)
        ArticleFactory(author=user, status=Article.Status.DRAFT)
        notification_send(user=user, key=f"review-q:{offset}:{i}", title=f"通知{i}", url="/")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["accounts:me", "stations:keeper", "reminders:inbox"])
def test_personal_pages_run_a_flat_number_of_queries(client, person, name):
    client.force_login(person)
    _records(person, 1, offset=0)
    small = _count(client, reverse(name))
    _records(person, 6, offset=1)
    assert _count(client, reverse(name)) <= small


def test_review_page_runs_a_flat_number_of_queries(client):
    from django.contrib.auth.models import Permission

    staff = UserFactory(username="verifier")
    staff.user_permissions.add(Permission.objects.get(codename="verify_progressreport"))
    client.force_login(staff)
    ReportFactory(indicator=IndicatorFactory(), status=ProgressReport.Status.SUBMITTED)
    small = _count(client, reverse("tenthings:review"))
    for _i in range(8):
        ReportFactory(indicator=IndicatorFactory(), status=ProgressReport.Status.SUBMITTED)
    assert _count(client, reverse("tenthings:review")) <= small


# --- First-tier pages, signed in: a fixed number of queries however much data there is -------

FIRST_TIER = [
    "/",
    "/news/",
    "article",
    "/ten-things/",
    "/ten-things/2024/",
    "/ten-things/2024/1/",
    "/stations/",
    "station",
    "/legal/",
    "/innovation/",
    "/activities/",
    "/me/",
    "/me/notifications/",
]


@pytest.mark.parametrize("name", FIRST_TIER)
def test_first_tier_pages_signed_in_run_a_flat_number_of_queries(client, name):
    worker = UserFactory(username="first-tier-worker")
    client.force_login(worker)
    plan = PlanFactory(year=2024)
    item = ItemFactory(plan=plan, number=1)
    ReportFactory(indicator=IndicatorFactory(item=item), status=ProgressReport.Status.VERIFIED)
    article, station = ArticleFactory(title="第一篇"), StationFactory(name="第一站")
    Rating.objects.create(station=station, user=worker, score=4, comment="")
    notification_send(user=worker, key="first-tier:0", title="通知", url="/")
    url = {"article": article.get_absolute_url(), "station": station.get_absolute_url()}.get(name, name)
    small = _count(client, url)
    for i in range(6):
        ArticleFactory(title=f"更多文章{i}")
        other = StationFactory(name=f"更多驿站{i}")
        Rating.objects.create(station=other, user=worker, score=5, comment="")
        ReportFactory(
            indicator=IndicatorFactory(item=ItemFactory(plan=plan, number=2 + i)), status=ProgressReport.Status.VERIFIED
        )
        notification_send(user=worker, key=f"first-tier:{i + 1}", title=f"通知{i}", url="/")
    assert _count(client, url) <= small
    assert small <= FIRST_TIER_PINS[name], f"{url}: {small} queries"


# What each page costs signed in with the shared caches off (the worst case: every fragment is
# built, the person read from the database): with them on most of it is read from the cache.
FIRST_TIER_PINS = {
    "/": 13,
    "/news/": 14,
    "article": 9,
    "/ten-things/": 6,
    "/ten-things/2024/": 6,
    "/ten-things/2024/1/": 7,
    "/stations/": 5,
    "station": 10,
    "/legal/": 8,
    "/innovation/": 11,
    "/activities/": 5,
    "/me/": 22,
    "/me/notifications/": 5,
}
