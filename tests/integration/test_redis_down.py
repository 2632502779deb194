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


@pytest.mark.parametrize(
    "url",
    ["/", "/news/", "/news/?q=驿站", "/stations/", "/stations/map.json", "/ten-things/", "/legal/", "/innovation/"],
)
def test_public_pages_answer_from_the_database(client, redis_down, url):
    assert client.get(url).status_code == 200


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
