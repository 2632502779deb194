"""With Redis stopped (cache, broker and rate-limit store), pages and sign-in keep working."""

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:9/0"  # nothing listens on the discard port


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "apps.core.cache_backends.ResilientRedisCache", "LOCATION": DEAD_REDIS}}
    settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.PAGE_CACHE_ENABLED = True  # the page cache lives in that Redis too
    settings.FRAGMENT_CACHE_ENABLED = True  # and so do the shared fragments


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/news/",
        "/news/?q=驿站",
        "/news/feed/",
        "/stations/",
        "/stations/map.json",
        "/ten-things/",
        "/legal/",
        "/innovation/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ],
)
def test_public_pages_answer_from_the_database(client, redis_down, url):
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # nothing was kept: rendered again, still fine


def test_an_article_and_the_gzipped_map_answer_without_redis(client, redis_down):
    import gzip
    import json

    from apps.news.tests.factories import ArticleFactory
    from apps.stations.tests.factories import StationFactory

    article = ArticleFactory(title="停电也能看的新闻")
    StationFactory(name="断网驿站")
    for _ in range(2):  # the shared article is not kept: read again, still fine
        assert "停电也能看的新闻" in client.get(article.get_absolute_url()).content.decode()
    packed = client.get("/stations/map.json", HTTP_ACCEPT_ENCODING="gzip")
    assert packed.status_code == 200
    body = gzip.decompress(packed.content) if packed.get("Content-Encoding") == "gzip" else packed.content
    assert json.loads(body)["stations"][0]["name"] == "断网驿站"


def test_after_a_failure_redis_is_left_alone_for_a_while(redis_down, monkeypatch):
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    from apps.core import cache_backends

    tries = []
    original = RedisCache.get

    def counting_get(self, *args, **kwargs):
        tries.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "get", counting_get)
    assert cache.get("a") is None and cache.get("b") is None and cache.get_many(["c"]) == {}
    assert len(tries) == 1  # the second read did not wait on the dead server
    monkeypatch.setattr(cache_backends.time, "monotonic", lambda: float("inf"))
    cache.get("d")
    assert len(tries) == 2  # after RETRY_AFTER it tries again


def test_sign_in_sign_up_and_password_reset_work(client, redis_down):
    user = UserFactory()
    assert client.get(reverse("account_login")).status_code == 200
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)
    client.logout()
    assert client.get(reverse("account_signup")).status_code == 200
    assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302


def test_the_cache_logs_instead_of_failing(redis_down, caplog):
    from django.core.cache import cache

    from apps.core import cache_backends

    cache_backends._last_logged[0] = float("-inf")
    assert cache.get("anything") is None
    cache.set("k", 1)
    assert cache.get_or_set("k", 5) == 5
    assert "Redis unavailable" in caplog.text


def test_healthz_still_reports_the_broker_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failing"] == ["broker"]


def test_one_redis_client_serves_every_cache_call(redis_down):
    from django.core.cache import caches

    backend = caches["default"]._cache  # the client wrapper of ResilientRedisCache
    assert backend.get_client() is backend.get_client(write=True)
