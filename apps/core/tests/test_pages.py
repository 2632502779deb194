import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.core.tests.sitemap_files import file_urls, index_files, locs

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
    assert "/sitemap-pages.xml" in index_files(client)
    assert "http://testserver/" in file_urls(client, "/sitemap-pages.xml")


def _articles(n):
    from apps.news.tests.factories import ArticleFactory

    return ArticleFactory.create_batch(n)


def test_the_sitemap_index_lists_a_file_per_page_in_as_many_queries_whatever_the_data(
    client, monkeypatch, django_assert_max_num_queries
):
    from apps.news.sitemaps import ArticleSitemap
    from apps.stations.tests.factories import StationFactory

    monkeypatch.setattr(ArticleSitemap, "limit", 10)

    def fetch():
        with django_assert_max_num_queries(8) as queries:  # one count per queryset section
            files = index_files(client)
        return files, len(queries)

    few, few_queries = fetch()
    assert "/sitemap-news.xml" not in few and "/sitemap-stations.xml" not in few  # no rows, no file
    _articles(15)
    StationFactory.create_batch(10)
    many, many_queries = fetch()
    assert many_queries == few_queries
    assert [f for f in many if f.startswith("/sitemap-news.xml")] == ["/sitemap-news.xml", "/sitemap-news.xml?p=2"]
    assert [f for f in many if f.startswith("/sitemap-stations.xml")] == ["/sitemap-stations.xml"]
    assert set(many) - set(few) == {"/sitemap-news.xml", "/sitemap-news.xml?p=2", "/sitemap-stations.xml"}


def test_a_section_file_is_one_page_of_its_section_read_in_one_query(client, monkeypatch, django_assert_num_queries):
    from apps.news.models import Article
    from apps.news.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 10)
    articles = sorted(_articles(15), key=lambda a: (a.published_at, a.pk), reverse=True)

    def no_instances(*args, **kwargs):
        raise AssertionError("the section file made an Article instance")

    monkeypatch.setattr(Article, "from_db", no_instances)  # rows are read as plain values
    pages = []
    for page in ("1", "2"):
        with django_assert_num_queries(1):
            response = client.get("/sitemap-news.xml", {"p": page})
        pages.append(locs(response, "urlset"))
        assert response.has_header("Last-Modified")  # every article has a lastmod
    assert [len(urls) for urls in pages] == [10, 5]
    assert pages[0] + pages[1] == [f"http://testserver{a.get_absolute_url()}" for a in articles]
    body = client.get("/sitemap-news.xml").content.decode()
    day = articles[0].updated_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d")
    assert f"<lastmod>{day}</lastmod><changefreq>monthly</changefreq><priority>0.6</priority></url>" in body
    assert client.get("/sitemap-news.xml", {"p": "3"}).status_code == 404


def test_section_names_with_underscores_and_dashes_have_files_and_unknown_ones_are_404(client):
    for path in ("/sitemap-legal_events.xml", "/sitemap-tenthings-items.xml", "/sitemap-pages.xml"):
        assert client.get(path).status_code == 200, path  # page 1 of an empty section: an empty urlset
    for path in ("/sitemap-nope.xml", "/sitemap-.xml", "/sitemap-news.xml.gz", "/sitemap-news/.xml"):
        assert client.get(path).status_code == 404, path


def test_the_sitemap_counts_are_kept_until_a_write_to_public_data(
    client, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from apps.stations.tests.factories import StationFactory

    settings.FRAGMENT_CACHE_ENABLED = True
    assert "/sitemap-stations.xml" not in index_files(client)
    with django_assert_num_queries(0):
        index_files(client)  # the counts come from the cache
    with django_capture_on_commit_callbacks(execute=True):
        StationFactory()  # a public model: the write bumps the page generation when it commits
    assert "/sitemap-stations.xml" in index_files(client)


def test_object_sections_give_the_same_urls_and_dates_as_django_sitemap_api(client, django_assert_num_queries):
    """``rows()`` (columns only) must agree with ``location()``/``lastmod()`` (model instances)."""
    from apps.activities.tests.factories import make_activity
    from apps.core import registry
    from apps.core.sitemaps import ObjectSitemap
    from apps.innovation.models import Project
    from apps.innovation.tests.factories import CategoryFactory, ProjectFactory, campaign_factory
    from apps.legal_aid.tests.factories import LegalEventFactory, LegalStationFactory
    from apps.stations.tests.factories import StationFactory
    from apps.tenthings.tests.factories import ItemFactory, PlanFactory

    _articles(3)
    StationFactory.create_batch(2)
    ItemFactory.create_batch(3, plan=PlanFactory(year=2024))
    ItemFactory(plan=PlanFactory(year=2025))
    campaign = campaign_factory(categories=[CategoryFactory()])
    ProjectFactory.create_batch(2, campaign=campaign, status=Project.Status.AWARDED)
    LegalStationFactory()
    LegalEventFactory()
    make_activity(title="读书分享会")
    make_activity(title="短视频制作")

    checked = []
    for name, section in registry.sitemaps().items():
        if not issubclass(section, ObjectSitemap):
            continue
        site = section()
        expected = [(site.location(item), site.lastmod(item)) for item in site.items()]
        assert expected, f"{name}: no rows to compare, give it some data here"
        assert list(site.rows(0, site.limit)) == expected, name
        assert list(site.rows(1, 2)) == expected[1:2], name
        with django_assert_num_queries(1):
            urls = file_urls(client, reverse("sitemap_section", kwargs={"section": name}))
        assert urls == [f"http://testserver{path}" for path, _lastmod in expected], name
        checked.append(name)
    assert {"news", "stations", "tenthings-plans", "tenthings-items", "innovation_projects"} <= set(checked)
    assert {"legal_stations", "legal_events"} <= set(checked)


def test_sitemap_pages_past_the_end_or_not_numbers_are_404(client):
    assert client.get("/sitemap.xml", {"p": "1"}).status_code == 200
    for path in ("/sitemap.xml", "/sitemap-news.xml"):  # the index is one file; news has no rows
        assert client.get(path, {"p": "2"}).status_code == 404, path
        assert client.get(path, {"p": "x"}).status_code == 404, path
        assert client.get(path, {"p": "0"}).status_code == 404, path
        assert client.get(path, {"p": "-1"}).status_code == 404, path
        assert client.get(path, {"p": "²"}).status_code == 404, path
        assert client.get(path, {"p": "9" * 5000}).status_code == 404, path
    assert file_urls(client, "/sitemap-news.xml") == []
