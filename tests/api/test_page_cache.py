"""The anonymous page cache and the API: public reads are served from it like public pages; a
request that carries a token (or any Authorization) is never stored in it nor served from it."""

import pytest

from apps.news.tests.factories import ArticleFactory
from apps.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/news/articles"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def news(commit):
    with commit():
        return ArticleFactory(title="职工驿站新添热饭设备")


def test_an_anonymous_public_read_is_served_from_the_cache_without_a_query(client, news, django_assert_num_queries):
    assert client.get(LIST)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get(LIST)
    assert again["X-Page-Cache"] == "hit" and again.json()["items"][0]["title"] == "职工驿站新添热饭设备"
    assert again["ETag"] and client.get(LIST, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_a_write_refreshes_the_cached_read(client, news, commit):
    client.get(LIST)
    with commit():
        ArticleFactory(title="劳模工匠座谈会")
    assert "劳模工匠座谈会" in [a["title"] for a in client.get(LIST).json()["items"]]


@pytest.mark.parametrize(
    "credentials", [{"HTTP_X_SESSION_TOKEN": "anything"}, {"HTTP_AUTHORIZATION": "Bearer anything"}]
)
def test_a_request_with_credentials_is_never_served_from_the_cache(client, news, credentials):
    assert client.get(LIST)["X-Page-Cache"] == "miss"
    assert client.get(LIST)["X-Page-Cache"] == "hit"
    answered = client.get(LIST, **credentials)
    assert "X-Page-Cache" not in answered and "private" in answered["Cache-Control"]


def test_a_signed_in_read_is_never_stored(api_as, worker, news, django_assert_max_num_queries):
    me = api_as(worker)
    me.get(LIST)  # first with a token: must not fill the cache
    assert me.get(LIST).get("X-Page-Cache") is None
    assert me.get("/api/v1/accounts/me").get("X-Page-Cache") is None
    assert me.get("/api/v1/accounts/me")["Cache-Control"].startswith("private")
    # The cache is still empty for anonymous clients: their first read is a miss.
    assert me.client.get(LIST, HTTP_X_SESSION_TOKEN="").get("X-Page-Cache") is None
    assert me.client.get(LIST)["X-Page-Cache"] == "miss"


def test_personal_answers_are_never_stored_even_without_a_token(client, worker):
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert client.get("/api/v1/accounts/me").get("X-Page-Cache") is None


def test_reads_that_depend_on_where_the_worker_stands_are_not_stored(client, commit):
    with commit():
        StationFactory()
    client.get("/api/v1/stations/nearest", {"lat": "32.93", "lng": "119.84"})
    assert client.get("/api/v1/stations/nearest", {"lat": "32.93", "lng": "119.84"}).get("X-Page-Cache") is None


def test_every_public_read_is_served_from_the_cache_the_second_time(client, commit):
    from django.urls import reverse

    from apps.activities.tests.factories import make_activity
    from apps.benefits.tests.factories import make_programme
    from apps.core.api import public_operation_names
    from apps.legal_aid.tests.factories import LegalEventFactory, LegalStationFactory
    from apps.tenthings.tests.factories import ItemFactory, PlanFactory

    with commit():
        article = ArticleFactory()
        station = StationFactory()
        legal = LegalStationFactory()
        event = LegalEventFactory()
        ItemFactory(plan=PlanFactory(year=2024), number=1)
        activity = make_activity()
        programme = make_programme()
    arguments = {
        "activities_detail": {"pk": activity.pk},
        "benefits_programme": {"pk": programme.pk},
        "news_article": {"pk": article.pk},
        "stations_detail": {"pk": station.pk},
        "legal_station": {"pk": legal.pk},
        "legal_event": {"pk": event.pk},
        "tenthings_year": {"year": 2024},
        "tenthings_item": {"year": 2024, "number": 1},
    }
    query = {"news_search": "?q=驿站", "core_working_days": "?start=2024-05-06"}
    missed = []
    for name in sorted(public_operation_names()):
        short = name.split(":", 1)[1]
        if short == "innovation_project":
            continue  # no public project in this data: a 404 is never stored
        path = reverse(name, kwargs=arguments.get(short, {})) + query.get(short, "")
        first = client.get(path)
        assert first.status_code == 200, (path, first.content[:200])
        if client.get(path).get("X-Page-Cache") != "hit":
            missed.append(path)
    assert not missed
