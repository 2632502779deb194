import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.core.tests.images import png_bytes
from apps.core.tests.sitemap_files import file_urls, index_files
from apps.news.models import Article
from apps.news.tests.factories import ArticleFactory, ColumnFactory, EditionFactory, TagFactory

pytestmark = pytest.mark.django_db


def make_articles(n, **kwargs):
    columns = [ColumnFactory(slug=f"c{i}", name=f"栏目{i}") for i in range(3)]
    tag = TagFactory(name="驿站")
    for i in range(n):
        ArticleFactory(column=columns[i % 3], tags=[tag], pinned=i < 2, edition=EditionFactory(number=1), **kwargs)


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("path", ["/", "/news/", "/news/?column=c1&year={year}", "/news/?q=职工 服务"])
def test_list_pages_run_the_same_number_of_queries_for_few_and_many_articles(
    client, path, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    settings.FRAGMENT_CACHE_ENABLED = True  # the shared fragments a real site has
    path = path.format(year=timezone.localdate().year)
    with django_capture_on_commit_callbacks(execute=True):
        make_articles(3)
    client.get(path)  # warm the caches a real site would have warm
    few = count_queries(client, path, django_assert_max_num_queries)
    with django_capture_on_commit_callbacks(execute=True):  # the writes commit: the fragments go stale
        make_articles(30)
    client.get(path)
    many = count_queries(client, path, django_assert_max_num_queries)
    assert many == few
    with django_assert_max_num_queries(8):
        client.get(path)


def test_detail_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    make_articles(3)
    first = Article.objects.first()
    with django_assert_max_num_queries(8):
        assert client.get(first.get_absolute_url()).status_code == 200
    make_articles(30)
    with django_assert_max_num_queries(8):
        assert client.get(first.get_absolute_url()).status_code == 200


def test_home_panel_is_shared_until_the_next_write_to_the_news(client, settings, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FRAGMENT_CACHE_ENABLED = True
    make_articles(5)
    response = client.get("/")
    assert "工会新闻" in response.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert not [q for q in ctx.captured_queries if "news_article" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="刚刚发布的新闻", pinned=True)
    assert "刚刚发布的新闻" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.SCHEDULED, Article.Status.ARCHIVED]
)
def test_unpublished_articles_are_invisible_everywhere(client, status):
    extra = {"publish_at": timezone.now() + timedelta(days=1)} if status == Article.Status.SCHEDULED else {}
    hidden = ArticleFactory(title="秘密稿件驿站", status=status, **extra)
    ArticleFactory(title="公开稿件驿站")
    assert client.get(f"/news/{hidden.pk}/").status_code == 404
    for url in [
        "/news/",
        "/news/?q=秘密",
        "/news/feed/",
        "/news/feed/atom/",
        f"/news/feed/{hidden.column.slug}/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/",
    ]:
        body = client.get(url).content.decode()
        assert "秘密稿件" not in body, url
        assert f"/news/{hidden.pk}/" not in body, url


@pytest.mark.parametrize("path", ["/news/abc/", "/news/99999/", "/news/-1/", "/news/1.5/"])
def test_non_numeric_or_unknown_ids_answer_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query", ["劳" * 2000, "，。！？、；：“”‘’（）【】《》" * 20, "!!!???***", "' OR 1=1 --", "<script>"]
)
def test_bad_search_input_returns_a_normal_page(client, query):
    ArticleFactory()
    response = client.get("/news/", {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_invalid_filter_values_return_a_normal_page(client):
    ArticleFactory()
    assert client.get("/news/", {"year": "abc", "column": "nope", "page": "zz"}).status_code == 200


def test_filters_by_column_year_and_tag(client):
    station = TagFactory(name="驿站")
    a = ArticleFactory(title="驿站开放", tags=[station], column=ColumnFactory(slug="fuwu", name="职工服务"))
    b = ArticleFactory(title="去年的新闻", published_at=timezone.now().replace(year=2023))
    assert "驿站开放" in client.get("/news/", {"column": "fuwu"}).content.decode()
    assert "去年的新闻" not in client.get("/news/", {"column": "fuwu"}).content.decode()
    assert "去年的新闻" in client.get("/news/", {"year": "2023"}).content.decode()
    assert "驿站开放" not in client.get("/news/", {"year": "2023"}).content.decode()
    tag_page = client.get("/news/", {"tag": station.slug}).content.decode()
    assert a.title in tag_page and b.title not in tag_page


def test_pagination_splits_long_lists(client):
    make_articles(15)
    page2 = client.get("/news/", {"page": 2})
    assert page2.status_code == 200
    assert page2.context["page_obj"].number == 2


@pytest.mark.parametrize(
    "query, expected_titles",
    [
        ("劳模", {"创新驱动充电赋能 迸发新质生产力“新引擎”"}),
        ("驿站", {"交流互鉴 共促发展", "江苏工人报社领导来兴调研采访工会工作"}),
        ("法律服务", {"市总工会2024年服务职工“十件实事”新鲜出炉", "庭审观摩零距离 以案普法促和谐"}),
        ("十件实事", {"市总工会2024年服务职工“十件实事”新鲜出炉"}),
    ],
)
def test_chinese_search_finds_the_right_seed_article_first(client, query, expected_titles):
    call_command("load_demo", stdout=io.StringIO())
    response = client.get("/news/", {"q": query})
    articles = response.context["articles"]
    assert articles, query
    assert articles[0].title in expected_titles
    assert "<mark>" in response.content.decode()


def test_search_highlights_and_segments_words(client):
    ArticleFactory(title="户外劳动者驿站开放", body="<p>环卫工人在驿站吃上热饭。</p>")
    ArticleFactory(title="别的新闻", body="<p>没有相关内容。</p>")
    response = client.get("/news/", {"q": "驿站"})
    assert [a.title for a in response.context["articles"]] == ["户外劳动者驿站开放"]
    assert "<mark>驿站</mark>" in response.content.decode()


def test_detail_shows_cover_edition_related_and_prev_next(client):
    column = ColumnFactory(slug="laomo", name="劳模工匠")
    tag = TagFactory(name="劳模")
    edition = EditionFactory(year=2024, number=1)
    now = timezone.now()
    older = ArticleFactory(title="较早的劳模新闻", column=column, tags=[tag], published_at=now - timedelta(days=3))
    article = ArticleFactory(
        title="劳模工匠助企行",
        column=column,
        tags=[tag],
        edition=edition,
        published_at=now - timedelta(days=2),
        cover=SimpleUploadedFile("cover.png", png_bytes((1600, 900)), content_type="image/png"),
        summary="劳模走进企业",
    )
    newer = ArticleFactory(title="较新的新闻", published_at=now - timedelta(days=1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "2024年第1期" in html
    assert older.get_absolute_url() in html and newer.get_absolute_url() in html
    assert 'property="og:title" content="劳模工匠助企行"' in html
    assert 'property="og:description" content="劳模走进企业"' in html
    assert 'property="og:image"' in html and article.card_url in html
    assert "相关新闻" in html


def test_cover_renditions_are_made_once_and_lists_never_serve_the_original(client):
    article = ArticleFactory(cover=SimpleUploadedFile("big.png", png_bytes((2000, 1200)), content_type="image/png"))
    renditions = article.renditions
    assert renditions["thumb"]["width"] == 320 and renditions["full"]["width"] == 1200
    from apps.news.renditions import webp_supported

    assert ("webp" in renditions["thumb"]) == webp_supported()
    article.title = "改个标题"
    from apps.news.services import article_save

    article_save(article=article, user=article.author)
    assert article.renditions == renditions  # same cover: nothing rebuilt
    html = client.get("/news/").content.decode()
    assert article.thumb_url in html
    assert article.cover.url not in html


def test_view_count_goes_up_per_reader_beacon_not_per_render(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    beacon = reverse("news:read", args=[article.pk])
    assert f'data-read-beacon="{beacon}"' in html
    article.refresh_from_db()
    assert article.view_count == 0  # rendering (or a cached copy) counts nobody by itself
    assert client.post(beacon).status_code == 204
    assert client.post(beacon).status_code == 204
    article.refresh_from_db()
    assert article.view_count == 2
    assert client.get(beacon).status_code == 405


def test_read_beacon_of_an_unpublished_article_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.post(reverse("news:read", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.view_count == 0


def test_feeds_list_published_news_overall_and_per_column(client):
    col = ColumnFactory(slug="weiquan", name="维权服务")
    ArticleFactory(title="庭审观摩", column=col)
    ArticleFactory(title="其他栏目新闻")
    rss = client.get("/news/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "庭审观摩" in rss.content.decode() and "其他栏目新闻" in rss.content.decode()
    atom = client.get("/news/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    column_feed = client.get("/news/feed/weiquan/").content.decode()
    assert "庭审观摩" in column_feed and "其他栏目新闻" not in column_feed
    assert client.get("/news/feed/weiquan/atom/").status_code == 200
    assert client.get("/news/feed/nope/").status_code == 404


def test_a_feed_entry_shows_summary_or_the_start_of_the_text_and_the_byline_in_flat_queries(
    client, django_assert_max_num_queries
):
    from xml.etree import ElementTree

    from apps.accounts.tests.factories import UserFactory

    writer = UserFactory(real_name="周记者")
    ArticleFactory(title="有摘要", summary="一句话摘要", byline="")
    long_text = "甲" * 150 + "乙" * 100 + "尾巴"
    ArticleFactory(title="无摘要", summary="", body=f"<p>{long_text}</p>", byline="", author=writer)

    def entries():
        with django_assert_max_num_queries(2):
            root = ElementTree.fromstring(client.get("/news/feed/").content)
        return {item.findtext("title"): item for item in root.iter("item")}

    found = entries()
    assert found["有摘要"].findtext("description") == "一句话摘要"
    excerpt = found["无摘要"].findtext("description")
    assert excerpt == long_text[:200] and "尾巴" not in excerpt
    assert "周记者" in found["无摘要"].findtext("{http://purl.org/dc/elements/1.1/}creator")
    ArticleFactory.create_batch(12)
    assert len(entries()) == 14


def test_sitemap_lists_published_articles_only(client):
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=1))
    assert "/sitemap-news.xml" not in index_files(client)  # nothing public: no file for the section
    article = ArticleFactory()
    assert "/sitemap-news.xml" in index_files(client)
    assert file_urls(client, "/sitemap-news.xml") == [f"http://testserver/news/{article.pk}/"]


def test_staff_preview_shows_a_draft_as_the_public_page_would(client):
    from apps.accounts.tests.factories import UserFactory

    editor = UserFactory(roles=["editor"])
    draft = ArticleFactory(title="待审草稿", status=Article.Status.DRAFT, author=editor)
    assert client.get(reverse("news:preview", args=[draft.pk])).status_code == 302  # strangers go to login
    client.force_login(editor)
    response = client.get(reverse("news:preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "待审草稿" in response.content.decode() and "预览" in response.content.decode()
    client.force_login(UserFactory())  # a worker: no editor's role
    assert client.get(reverse("news:preview", args=[draft.pk])).status_code == 403
    assert client.get(reverse("news:preview", args=[987654])).status_code == 403  # says nothing of the id


def test_editor_sees_returned_drafts_on_me_page(client):
    from apps.accounts.tests.factories import UserFactory

    editor = UserFactory(roles=["editor"])
    ArticleFactory(title="我的草稿", status=Article.Status.DRAFT, author=editor)
    client.force_login(editor)
    assert "我的草稿" in client.get("/me/").content.decode()
    client.force_login(UserFactory())
    assert "我的稿件" not in client.get("/me/").content.decode()
