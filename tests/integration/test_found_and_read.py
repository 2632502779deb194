"""What browsers, feed readers and screen readers get: the Permissions-Policy header, column
feeds advertised on their column pages, the unread count in the bell's name, SERVE_MEDIA."""

import importlib

import pytest
from django.urls import clear_url_caches, reverse

from apps.accounts.tests.factories import UserFactory
from apps.news.tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db


def test_every_page_says_which_browser_features_it_may_use(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    for _ in range(2):  # a miss, then the page cache's stored copy
        policy = client.get("/")["Permissions-Policy"]
        assert "geolocation=(self)" in policy and "camera=(self)" in policy
        assert "microphone=()" in policy and "payment=()" in policy
    assert client.get("/robots.txt")["Permissions-Policy"] == policy


def test_a_column_page_advertises_its_own_feed(client):
    column = ColumnFactory(slug="zhuankan")
    ArticleFactory(column=column)
    html = client.get("/news/?column=zhuankan").content.decode()
    feed = reverse("news:column_feed", args=["zhuankan"])
    assert f'type="application/rss+xml" title="本栏目 RSS" href="{feed}"' in html
    assert client.get(reverse("news:column_feed", args=["zhuankan"])).status_code == 200


def test_a_column_value_that_is_no_slug_is_no_error(client):
    response = client.get("/news/?column=%E4%B8%93+%3C%3E")
    assert response.status_code == 200
    assert "本栏目 RSS" not in response.content.decode()


def test_the_bell_names_the_unread_count_for_screen_readers(client):
    from apps.reminders.services import notify_all

    user = UserFactory()
    notify_all([user], kind="news", key="x", title="新通知")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'aria-label="我的通知，1 条未读"' in html


def test_serve_media_is_read_from_the_environment(monkeypatch):
    import union_portal.settings.base as base

    monkeypatch.setenv("SERVE_MEDIA", "true")
    assert importlib.reload(base).SERVE_MEDIA is True
    monkeypatch.delenv("SERVE_MEDIA")
    assert importlib.reload(base).SERVE_MEDIA is False


def test_serve_media_adds_the_media_url(settings):
    import union_portal.urls

    settings.SERVE_MEDIA = True
    try:
        importlib.reload(union_portal.urls)
        assert any(str(p.pattern) == "media/<path:path>" for p in union_portal.urls.urlpatterns)
    finally:
        settings.SERVE_MEDIA = False
        importlib.reload(union_portal.urls)
        clear_url_caches()
