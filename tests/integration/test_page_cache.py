"""The anonymous page cache: what it serves, what it never stores, and the writes that refresh it.

Writes run inside ``django_capture_on_commit_callbacks(execute=True)``: the cache is refreshed
when a write commits, as it does on a real site.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.core import pagecache
from apps.legal_aid.tests.factories import (
    ConsultationFactory,
    DutyShiftFactory,
    LegalEventFactory,
    LegalStationFactory,
)
from apps.news.models import Article
from apps.news.services import article_archive, article_publish, article_save, articles_publish_due
from apps.news.tests.factories import ArticleFactory, TagFactory
from apps.stations import services as station_services
from apps.stations.models import Rating
from apps.stations.tests.factories import StationFactory
from apps.tenthings import services as tenthings_services
from apps.tenthings.models import ProgressReport
from apps.tenthings.tests.factories import IndicatorFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit work (the cache refresh) as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def site(commit):
    with commit():
        article = ArticleFactory(title="职工驿站新添热饭设备")
        indicator = IndicatorFactory(item__plan__year=2024, item__number=1, target=Decimal("600"))
        station = StationFactory(name="昭阳驿站")
        legal = LegalStationFactory()
        LegalEventFactory(title="农民工讨薪法律讲座")
    return {
        "article": article,
        "item": indicator.item,
        "indicator": indicator,
        "station": station,
        "legal_station": legal,
    }


def public_urls(site):
    item = site["item"]
    return [
        "/",
        "/news/",
        site["article"].get_absolute_url(),
        "/news/feed/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/sitemap-tenthings-items.xml",
        "/ten-things/",
        f"/ten-things/{item.plan.year}/",
        f"/ten-things/{item.plan.year}/{item.number}/",
        "/stations/",
        "/stations/map.json",
        site["station"].get_absolute_url(),
        "/legal/",
        reverse("legal_aid:station", args=[site["legal_station"].pk]),
        "/legal/events/",
        "/innovation/",
    ]


def test_every_public_page_is_served_from_the_cache_without_a_query(client, site, django_assert_num_queries):
    for url in public_urls(site):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        assert not first.cookies, f"{url} set {list(first.cookies)}: it cannot be shared"
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit", url
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"], url


def test_a_cached_page_carries_validators_and_a_proxy_may_keep_it(client, site):
    first = client.get("/news/")
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in first["Vary"].split(",")}
    etag = first["ETag"]
    not_modified = client.get("/news/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get("/news/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert client.head("/news/").status_code == 200


def test_signed_in_visitors_get_fresh_private_pages_and_never_fill_the_cache(site):
    worker = UserFactory(real_name="李秀英")
    signed_in = Client()
    signed_in.force_login(worker)
    anonymous = Client()

    mine = signed_in.get("/news/")
    assert "李秀英" in mine.content.decode()
    assert "X-Page-Cache" not in mine
    assert "private" in mine["Cache-Control"]

    theirs = anonymous.get("/news/")
    assert theirs["X-Page-Cache"] == "miss"  # the signed-in page was not stored
    assert "李秀英" not in theirs.content.decode()

    # And the other way round: a stored anonymous page is not what a signed-in worker gets.
    again = signed_in.get("/news/")
    assert "X-Page-Cache" not in again and "李秀英" in again.content.decode()


def test_no_cached_page_carries_a_token_a_name_or_a_message(client, site):
    worker = UserFactory(real_name="王建国")
    signed_in = Client()
    signed_in.force_login(worker)
    for url in public_urls(site):
        signed_in.get(url)
        body = client.get(url).content.decode()
        assert "csrfmiddlewaretoken" not in body, url
        assert "王建国" not in body, url
        assert 'class="messages' not in body, url
        assert "nonce-" not in client.get(url).get("Content-Security-Policy", ""), url


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, site):
    client.get("/news/")  # stored
    client.cookies[CookieStorage.cookie_name] = "anything"
    response = client.get("/news/")
    assert "X-Page-Cache" not in response and "private" in response["Cache-Control"]


def test_pages_that_use_a_token_a_message_or_a_nonce_are_never_stored(client, monkeypatch):
    monkeypatch.setattr(pagecache, "public_page_names", lambda: frozenset({"account_login"}))
    first = client.get(reverse("account_login"))
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Page-Cache" not in first
    second = client.get(reverse("account_login"))
    assert "X-Page-Cache" not in second  # rendered again: its token was never shared

    from django.contrib.messages.storage.cookie import CookieStorage as Storage
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().get(reverse("account_login"))
    request.resolver_match = resolve(reverse("account_login"))
    request._messages = Storage(request)
    assert pagecache._storable(request, HttpResponse("ok"))
    request._messages.add(20, "已保存")
    assert not pagecache._storable(request, HttpResponse("ok"))
    request._messages = Storage(request)
    with_nonce = HttpResponse("ok", headers={"Content-Security-Policy": "script-src 'self' 'nonce-abc'"})
    assert not pagecache._storable(request, with_nonce)
    private = HttpResponse("ok", headers={"Cache-Control": "private"})
    assert not pagecache._storable(request, private)


def test_each_language_has_its_own_copy(client, site):
    chinese = client.get("/news/")
    assert chinese["Content-Language"] == "zh-hans"
    switch = client.get(reverse("language") + "?language=en&next=/news/")
    assert switch.status_code == 302 and switch["Location"] == "/news/"
    english = client.get("/news/")
    assert english["X-Page-Cache"] == "miss" and english["Content-Language"] == "en"
    assert client.get("/news/")["X-Page-Cache"] == "hit"
    assert "News" in english.content.decode() or english.content != chinese.content


def test_the_language_switch_is_a_link_and_refuses_foreign_destinations(client):
    body = client.get("/news/").content.decode()
    assert 'href="/i18n/language/?language=en"' in body
    assert "csrfmiddlewaretoken" not in body
    back = client.get(reverse("language") + "?language=en", HTTP_REFERER="http://testserver/news/?page=2")
    assert back["Location"] == "http://testserver/news/?page=2"  # back to the page it was clicked on
    response = client.get(reverse("language") + "?language=en&next=https://evil.example/")
    assert response["Location"] == "/"
    response = client.get(reverse("language") + "?language=en", HTTP_REFERER="https://evil.example/x")
    assert response["Location"] == "/"
    response = client.get(reverse("language") + "?language=xx&next=/news/")
    assert response.status_code == 302 and "django_language" not in response.cookies


def test_other_requests_are_not_cached(client, site):
    posted = client.post("/news/")  # the list answers a POST as a GET, but never from or into the cache
    assert posted.status_code == 200 and "X-Page-Cache" not in posted
    assert "X-Page-Cache" not in client.get(reverse("account_login"))
    assert client.get("/news/999999/").status_code == 404
    assert "X-Page-Cache" not in client.get("/news/999999/")


# --- Each write that changes a page refreshes it ------------------------------------------------


def test_publishing_an_article_shows_it_on_the_list_home_and_feed(client, site, commit):
    editor = UserFactory(roles=["chief_editor"])
    with commit():
        article = ArticleFactory(title="环卫工人暖心驿站开放", status=Article.Status.IN_REVIEW, published_at=None)
    for url in ("/", "/news/", "/news/feed/"):
        assert "环卫工人暖心驿站开放" not in client.get(url).content.decode()
    assert article.get_absolute_url() not in client.get("/sitemap-news.xml").content.decode()
    with commit():
        article_publish(article=article, user=editor)
    for url in ("/", "/news/", "/news/feed/"):
        assert "环卫工人暖心驿站开放" in client.get(url).content.decode(), url
    assert article.get_absolute_url() in client.get("/sitemap-news.xml").content.decode()


def test_archiving_an_article_takes_it_off_the_cached_pages(client, site, commit):
    editor = UserFactory(roles=["chief_editor"])
    article = site["article"]
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get("/news/").content.decode()
    with commit():
        article_archive(article=article, user=editor)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/news/").content.decode()


def test_a_scheduled_article_published_by_the_clock_shows_at_once(client, site, commit):
    with commit():
        ArticleFactory(
            title="五一劳动奖章名单公示",
            status=Article.Status.SCHEDULED,
            published_at=None,
            publish_at=timezone.now() - datetime.timedelta(minutes=1),  # its time has just come
        )
    assert "五一劳动奖章名单公示" not in client.get("/news/").content.decode()
    with commit():
        assert articles_publish_due() == 1
    assert "五一劳动奖章名单公示" in client.get("/news/").content.decode()


def test_tagging_an_article_refreshes_its_page(client, site, commit):
    article = site["article"]
    assert "快递小哥" not in client.get(article.get_absolute_url()).content.decode()
    with commit():
        article.tags.add(TagFactory(name="快递小哥"))
    assert "快递小哥" in client.get(article.get_absolute_url()).content.decode()


def _report_then_verify(client, commit, indicator, url, amount):
    """A report shows on the item page only once verified (read anonymously after each step)."""
    with commit():
        report = ReportFactory(indicator=indicator, amount=Decimal(amount), status=ProgressReport.Status.SUBMITTED)
    assert amount not in client.get(url).content.decode()
    with commit():
        tenthings_services.report_verify(report=report, reviewer=UserFactory(), today=datetime.date(2024, 9, 2))
    assert amount in client.get(url).content.decode()


def test_verifying_a_report_refreshes_the_item_page(client, site, commit):
    indicator = site["indicator"]
    url = f"/ten-things/{indicator.item.plan.year}/{indicator.item.number}/"
    _report_then_verify(client, commit, indicator, url, "412")


def test_changing_a_station_refreshes_the_list_the_map_and_its_page(client, site, commit):
    station = site["station"]
    for url in ("/stations/", "/stations/map.json", station.get_absolute_url()):
        assert "海南驿站" not in client.get(url).content.decode()
    with commit():
        station.name = "海南驿站"
        station.save()
    for url in ("/stations/", "/stations/map.json", station.get_absolute_url()):
        assert "海南驿站" in client.get(url).content.decode(), url


def test_an_approved_rating_comment_appears_on_the_cached_station_page(client, site, commit):
    station = site["station"]
    with commit():
        Rating.objects.create(station=station, user=UserFactory(), score=5, comment="夏天有绿豆汤")
    assert "夏天有绿豆汤" not in client.get(station.get_absolute_url()).content.decode()
    with commit():
        station_services.rating_moderate(rating=Rating.objects.get(), approve=True)
    assert "夏天有绿豆汤" in client.get(station.get_absolute_url()).content.decode()


def test_a_new_legal_event_appears_on_the_cached_event_list(client, site, commit):
    assert "劳动合同签订要点" not in client.get("/legal/events/").content.decode()
    with commit():
        LegalEventFactory(title="劳动合同签订要点")
    assert "劳动合同签订要点" in client.get("/legal/events/").content.decode()


def test_a_booking_that_fills_a_shift_shows_it_full_on_the_cached_station_page(client, site, commit):
    station = site["legal_station"]
    with commit():
        shift = DutyShiftFactory(station=station, slots=1)
    url = reverse("legal_aid:station", args=[station.pk])
    assert "已约满" not in client.get(url).content.decode()
    with commit():
        ConsultationFactory(station=station, shift=shift, lawyer=shift.lawyer)
    assert "已约满" in client.get(url).content.decode()


def test_pages_live_in_redis_in_production(client, site, settings, commit):
    import os

    import redis

    from conftest import require_service

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        up = True
    except redis.exceptions.RedisError:
        up = False
    require_service("Redis", up, f"nothing answers at {url}")
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache_backends.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-pages-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    try:
        first = client.get("/news/")
        again = client.get("/news/")
        assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
        assert again.content == first.content
        with commit():
            site["station"].name = "新垛驿站"
            site["station"].save()
        assert client.get("/news/")["X-Page-Cache"] == "miss"  # a write elsewhere refreshed every page
    finally:
        cache.clear()


def test_a_write_to_a_model_no_public_page_shows_keeps_the_cache(client, site, commit):
    client.get("/news/")
    with commit():
        UserFactory()  # people's accounts are not on public pages
    assert client.get("/news/")["X-Page-Cache"] == "hit"


def test_a_page_rendered_before_a_write_is_not_stored_as_current(rf, site, commit):
    """The generation is read before rendering: a write that commits meanwhile wins."""
    from django.http import HttpResponse
    from django.urls import resolve

    editor = UserFactory(roles=["chief_editor"])
    with commit():
        article = ArticleFactory(title="迟到的新闻", status=Article.Status.IN_REVIEW, published_at=None)

    def render_old_then_publish(request):
        request.resolver_match = resolve("/news/")
        response = HttpResponse("旧的新闻列表")  # rendered from the data before the write ...
        with commit():
            article_publish(article=article, user=editor)  # ... which commits meanwhile
        return response

    def render_new(request):
        request.resolver_match = resolve("/news/")
        return HttpResponse("新的新闻列表")

    assert (
        pagecache.AnonymousPageCacheMiddleware(render_old_then_publish)(rf.get("/news/")).content
        == "旧的新闻列表".encode()
    )
    served = pagecache.AnonymousPageCacheMiddleware(render_new)(rf.get("/news/"))
    assert served["X-Page-Cache"] == "miss" and served.content == "新的新闻列表".encode()


def test_every_model_an_app_lists_exists_and_every_public_page_name_resolves():
    from django.apps import apps
    from django.urls import get_resolver

    from apps.core import registry

    for label in registry.public_models():
        apps.get_model(label)
    names = set()
    resolver = get_resolver()
    for key in resolver.reverse_dict:
        if isinstance(key, str):
            names.add(key)
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        names.update(f"{namespace}:{key}" for key in sub.reverse_dict if isinstance(key, str))
    missing = [name for name in registry.public_pages() if name not in names]
    assert not missing, f"public_pages lists unknown URL names: {missing}"


def test_home_panels_are_built_once_for_everyone_and_rebuilt_after_a_write(
    client, site, commit, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # the panels' own cache, without the page cache in front
    settings.FRAGMENT_CACHE_ENABLED = True
    assert "职工驿站新添热饭设备" in client.get("/").content.decode()
    with django_assert_num_queries(0):
        client.get("/")
    worker = Client()
    worker.force_login(UserFactory(real_name="王建国"))
    with django_assert_num_queries(3):  # user, roles, notifications (the session is cached); no panel
        assert "职工驿站新添热饭设备" in worker.get("/").content.decode()
    assert "王建国" not in client.get("/").content.decode()
    with commit():
        ArticleFactory(title="首页新闻立即可见")
    assert "首页新闻立即可见" in client.get("/").content.decode()
    assert "首页新闻立即可见" in worker.get("/").content.decode()


def test_the_innovation_index_figures_are_shared_and_rebuilt_after_a_write(
    client, commit, settings, django_assert_num_queries
):
    from apps.innovation.tests.factories import TechProblemFactory

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    with commit():
        TechProblemFactory(title="焊接变形难题")
    assert "焊接变形难题" in client.get("/innovation/").content.decode()
    with django_assert_num_queries(0):
        client.get("/innovation/")
    with commit():
        TechProblemFactory(title="污水回用难题")
    assert "污水回用难题" in client.get("/innovation/").content.decode()


def test_the_news_list_count_is_shared_per_filter_and_follows_publishing(
    client, site, commit, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    client.get("/news/")
    with django_assert_num_queries(0):  # the count and the page of cards are shared
        first = client.get("/news/")
    assert first.context["page_obj"].paginator.count == 1
    assert client.get("/news/", {"q": "热饭"}).context["page_obj"].paginator.count == 1
    assert client.get("/news/", {"q": "没有这样的新闻"}).context["page_obj"].paginator.count == 0
    with commit():
        ArticleFactory(title="热饭设备第二批到位")
    again = client.get("/news/")
    assert again.context["page_obj"].paginator.count == 2 and "热饭设备第二批到位" in again.content.decode()
    assert client.get("/news/", {"q": "热饭"}).context["page_obj"].paginator.count == 2


def test_the_news_filter_options_are_shared_and_each_visitor_sees_their_own_choice(client, site, commit, settings):
    import re

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True

    def chosen(params=None):
        body = client.get("/news/", params or {}).content.decode()
        return dict(re.findall(r'<select name="(\w+)"[^>]*>.*?<option value="([^"]*)" selected>', body))

    assert chosen() == {"column": "", "year": "", "tag": ""}  # "all" in every select
    column = site["article"].column
    assert chosen({"column": column.slug})["column"] == column.slug
    assert chosen() == {"column": "", "year": "", "tag": ""}  # the shared options were not marked
    with commit():  # as the admin saves an article with a new tag
        tag = TagFactory(name='夜班"<b>', slug="night-shift")
        site["article"].tags.add(tag)
        article_save(article=site["article"], user=UserFactory(roles=["chief_editor"]))
    body = client.get("/news/", {"tag": "night-shift"}).content.decode()
    assert '<option value="night-shift" selected>夜班&quot;&lt;b&gt;</option>' in body  # new, escaped


def test_an_articles_neighbours_are_shared_and_follow_publishing(client, site, commit, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    url = site["article"].get_absolute_url()
    assert 'data-testid="next"' not in client.get(url).content.decode()
    with commit():
        ArticleFactory(title="紧接着发布的一篇")
    body = client.get(url).content.decode()
    assert 'data-testid="next"' in body and "紧接着发布的一篇" in body


def test_an_article_is_shared_without_its_authors_private_fields_and_follows_edits_and_archiving(
    client, site, commit, settings, django_assert_num_queries
):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    article, editor = site["article"], UserFactory(roles=["chief_editor"])
    url = article.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):  # the article, its tags, images and neighbours are shared
        assert article.title in client.get(url).content.decode()
    shared = cache.get(pagecache.fragment_key(f"news-article:{article.pk}"))[1]
    assert shared.byline_display and not {"password", "phone", "email"} & set(vars(shared.author))

    with commit():
        article.title = "热饭设备扩展到全市驿站"
        article_save(article=article, user=editor)
    assert "热饭设备扩展到全市驿站" in client.get(url).content.decode()
    with commit():
        article_archive(article=article, user=editor)
    assert client.get(url).status_code == 404
    assert client.get("/news/987654/").status_code == 404
    assert cache.get(pagecache.fragment_key("news-article:987654")) is None  # a miss is not kept


def test_the_feed_entries_are_shared_and_follow_publishing(client, site, commit, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    client.get("/news/feed/")
    with django_assert_num_queries(0):
        assert site["article"].title in client.get("/news/feed/").content.decode()
    with commit():
        ArticleFactory(title="新一期工会专刊出版")
    assert "新一期工会专刊出版" in client.get("/news/feed/").content.decode()


def test_the_item_pages_shared_part_follows_verification_and_keeps_each_visitors_own_state(
    client, site, commit, settings
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    indicator = site["indicator"]
    item = indicator.item
    url = f"/ten-things/{item.plan.year}/{item.number}/"
    fan, other = UserFactory(), UserFactory()
    with commit():
        tenthings_services.follow_set(item=item, user=fan, follow=True)
    fan_browser, other_browser = Client(), Client()
    fan_browser.force_login(fan)
    other_browser.force_login(other)
    assert "取消关注" in fan_browser.get(url).content.decode()
    assert "取消关注" not in other_browser.get(url).content.decode()  # the shared part holds no follow
    _report_then_verify(client, commit, indicator, url, "377")
    assert "377" in other_browser.get(url).content.decode()


def test_the_year_page_and_the_legal_index_share_their_figures_until_a_write(client, site, commit, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    indicator = site["indicator"]
    year_url = f"/ten-things/{indicator.item.plan.year}/"
    before = client.get(year_url).context["progress"].completion
    assert "新就业形态普法讲座" not in client.get("/legal/").content.decode()
    with commit():
        ReportFactory(indicator=indicator, amount=Decimal("300"), status=ProgressReport.Status.VERIFIED)
        LegalEventFactory(title="新就业形态普法讲座")
    assert client.get(year_url).context["progress"].completion > before
    assert "新就业形态普法讲座" in client.get("/legal/").content.decode()


def test_anonymous_station_and_item_pages_are_shared_and_follow_writes(client, site, commit, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    station = site["station"]
    rater = UserFactory(real_name="王建国")
    with commit():
        Rating.objects.create(station=station, user=rater, score=2, comment="晚上灯不亮")
    signed_in = Client()
    signed_in.force_login(rater)
    assert "晚上灯不亮" in signed_in.get(station.get_absolute_url()).content.decode()  # their own, pending
    assert "晚上灯不亮" not in client.get(station.get_absolute_url()).content.decode()
    with commit():
        station_services.rating_moderate(rating=Rating.objects.get(), approve=True)
    assert "晚上灯不亮" in client.get(station.get_absolute_url()).content.decode()
    assert "王建国" not in client.get(station.get_absolute_url()).content.decode()

    item = site["item"]
    url = f"/ten-things/{item.plan.year}/{item.number}/"
    assert "1 人关注" not in client.get(url).content.decode()
    with commit():
        tenthings_services.follow_set(item=item, user=rater, follow=True)
    assert "1 人关注" in client.get(url).content.decode()
    assert client.get(url + "?page=abc").status_code == 200


def test_the_anonymous_station_list_is_shared_per_filter_and_follows_writes(client, site, commit, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    assert "昭阳驿站" in client.get("/stations/").content.decode()
    with commit():
        StationFactory(name="沧浪公园驿站")
    assert "沧浪公园驿站" in client.get("/stations/").content.decode()
    assert "沧浪公园驿站" in client.get("/stations/", {"lat": "32.93", "lng": "119.84"}).content.decode()
    with commit():
        site["station"].name = "海南驿站"
        site["station"].save()
    assert "海南驿站" in client.get("/stations/").content.decode()


def test_browsers_get_the_cached_page_gzipped_and_other_clients_plain(client, site):
    import gzip

    browser = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    first = client.get("/news/", **browser)  # the miss is sent packed too
    assert first["X-Page-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    page = gzip.decompress(first.content)
    assert "职工驿站新添热饭设备" in page.decode()

    packed = client.get("/news/", **browser)
    assert packed["X-Page-Cache"] == "hit" and packed["Content-Encoding"] == "gzip"
    assert packed.content == first.content and int(packed["Content-Length"]) == len(packed.content)
    assert len(packed.content) < len(page) / 2

    plain = client.get("/news/")
    assert plain["X-Page-Cache"] == "hit" and "Content-Encoding" not in plain
    assert plain.content == page and int(plain["Content-Length"]) == len(page)

    for response in (first, packed, plain):
        assert {"Cookie", "Accept-Language", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    # One page, two encodings: one weak tag, and revalidating with it (or its strong form) is a 304.
    assert packed["ETag"] == plain["ETag"] and plain["ETag"].startswith('W/"')
    assert client.get("/news/", HTTP_IF_NONE_MATCH=plain["ETag"], **browser).status_code == 304
    assert client.get("/news/", HTTP_IF_NONE_MATCH=plain["ETag"].removeprefix("W/")).status_code == 304


def test_a_fragment_name_does_not_depend_on_the_order_of_the_query(rf):
    one = pagecache.query_signature(rf.get("/news/", {"column": "yaowen", "year": "2024", "page": "2"}))
    other = pagecache.query_signature(rf.get("/news/?page=2&year=2024&column=yaowen"))
    assert one == other
    assert one != pagecache.query_signature(rf.get("/news/?year=2023&column=yaowen&page=2"))
    left_out = pagecache.query_signature(rf.get("/news/?year=2024&page=3"), leave_out=("page",))
    assert left_out == pagecache.query_signature(rf.get("/news/?year=2024"), leave_out=("page",))


# --- One invalidation scheme, one release token ---------------------------------------------


def test_renaming_a_news_column_in_the_admin_shows_at_once_on_the_home_page_and_the_list(client, commit, settings):
    from apps.news.tests.factories import ColumnFactory

    settings.FRAGMENT_CACHE_ENABLED = True
    with commit():
        column = ColumnFactory(name="基层动态", slug="jiceng")
        ArticleFactory(title="城东街道成立快递员工会", column=column)
    for url in ("/", "/news/"):
        assert "基层动态" in client.get(url).content.decode(), url
        assert client.get(url)["X-Page-Cache"] == "hit", url  # stored, with the fragments under it
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:news_column_change", args=[column.pk])
    with commit():
        response = staff.post(change, {"name": "基层风采", "slug": "jiceng", "description": "", "sort_order": 0})
    assert response.status_code == 302, response.content.decode()[:500]
    for url in ("/", "/news/", "/news/?column=jiceng"):
        body = client.get(url).content.decode()
        assert "基层风采" in body, url
        assert "基层动态" not in body, url


def test_a_new_release_never_reads_the_pages_or_fragments_an_older_one_stored(client, site, settings):
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.RELEASE = "1111111"
    assert client.get("/news/")["X-Page-Cache"] == "miss"
    assert client.get("/news/")["X-Page-Cache"] == "hit"
    assert pagecache.public_fragment("figures", lambda: ("old", "shape")) == ("old", "shape")
    assert pagecache.public_fragment("figures", lambda: "built again") == ("old", "shape")  # kept

    settings.RELEASE = "2222222"  # deployed: the same cache, the same generation, a new release
    assert client.get("/news/")["X-Page-Cache"] == "miss"
    assert pagecache.public_fragment("figures", lambda: {"new": "shape"}) == {"new": "shape"}

    settings.RELEASE = "1111111"  # and the other way round (a rollback): each release its own
    assert client.get("/news/")["X-Page-Cache"] == "hit"
    assert pagecache.public_fragment("figures", lambda: "built again") == ("old", "shape")


def test_the_release_is_the_checked_out_commit_read_from_git(tmp_path):
    from apps.core.cache import git_commit

    commit = "0123456789abcdef0123456789abcdef01234567"
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    assert git_commit(tmp_path) == ""  # a branch with no commit yet
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{commit} refs/heads/main\n")
    assert git_commit(tmp_path) == commit
    (git / "refs" / "heads" / "main").write_text(commit[::-1] + "\n")  # a loose ref wins over a packed one
    assert git_commit(tmp_path) == commit[::-1]
    (git / "HEAD").write_text(commit + "\n")  # detached
    assert git_commit(tmp_path) == commit
    assert git_commit(tmp_path / "elsewhere") == ""  # no repository: the settings say "dev"
