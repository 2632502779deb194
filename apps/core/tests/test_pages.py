import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_chinese_with_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "兴化市总工会" in html
    assert reverse("account_login") in html


def test_pages_send_a_csp_without_inline_scripts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "<script>" not in response.content.decode()


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_english_is_available_through_the_language_switch(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_healthz_reports_database_ok_and_no_broker_when_none_configured(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured", "status": "ok"}


def test_healthz_names_the_broker_when_it_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
    assert response.json()["database"] == "ok"


def test_healthz_names_the_database_when_it_fails(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "memory://"

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_sitemap_lists_the_home_page(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<loc>http://testserver/</loc>" in response.content.decode()


def test_sitemap_reads_each_section_once_whatever_the_number_of_pages(client, django_assert_max_num_queries):
    from xml.etree import ElementTree

    from apps.news.tests.factories import ArticleFactory
    from apps.stations.tests.factories import StationFactory

    def fetch():
        with django_assert_max_num_queries(8):  # one per section, no counts
            response = client.get("/sitemap.xml")
        assert response.status_code == 200 and response["Content-Type"] == "application/xml"
        root = ElementTree.fromstring(response.content)  # well-formed XML
        return [url.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for url in root]

    few = fetch()
    articles = ArticleFactory.create_batch(15, title="标题 <含> & 符号")
    stations = StationFactory.create_batch(10)
    many = fetch()
    assert len(many) == len(few) + 25
    assert f"http://testserver{articles[0].get_absolute_url()}" in many
    assert f"http://testserver{stations[0].get_absolute_url()}" in many


def test_sitemap_pages_past_the_end_or_not_numbers_are_404(client):
    assert client.get("/sitemap.xml", {"p": "2"}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "0"}).status_code == 404
