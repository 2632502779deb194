"""What a reader sees: dates with the year when it matters, a 最新 list, 上一篇 before 下一篇,
and a rights question that finds no news pointed to 维权服务 and 12351."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.core.tests.images import png_bytes
from apps.news.models import Article
from apps.news.tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_home_lists_show_the_year_only_for_older_news(client):
    column = ColumnFactory(name="工会要闻")
    old = ArticleFactory(title="二〇二四年的旧闻", column=column)
    Article.objects.filter(pk=old.pk).update(published_at=timezone.make_aware(datetime(2024, 5, 6, 10, 0)))
    new = ArticleFactory(title="今年的新闻", column=column)
    cache.clear()
    html = client.get("/").content.decode()
    assert ">2024-05-06</time>" in html
    local = timezone.localtime(new.published_at)
    assert f">{local:%m-%d}</time>" in html
    assert f">{local:%Y-%m-%d}</time>" not in html


def test_home_has_a_date_ordered_latest_list_across_columns_with_thumbnails(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a, b = ColumnFactory(name="工会要闻"), ColumnFactory(name="基层动态")
    first = ArticleFactory(title="较早的新闻", column=a)
    Article.objects.filter(pk=first.pk).update(published_at=timezone.now() - timedelta(days=3))
    cover = SimpleUploadedFile("c.png", png_bytes((800, 450)), content_type="image/png")
    ArticleFactory(title="最新的新闻", column=b, cover=cover)
    cache.clear()
    html = client.get("/").content.decode()
    latest = html[html.index('data-testid="news-latest"') :]
    latest = latest[: latest.index("</section>")]
    assert latest.index("最新的新闻") < latest.index("较早的新闻")
    assert "<img" in latest


def test_previous_comes_before_next_on_an_article(client):
    column = ColumnFactory()
    older = ArticleFactory(title="较早一篇", column=column)
    Article.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=2))
    middle = ArticleFactory(title="中间一篇", column=column)
    Article.objects.filter(pk=middle.pk).update(published_at=timezone.now() - timedelta(days=1))
    ArticleFactory(title="较新一篇", column=column)
    html = client.get(reverse("news:detail", args=[middle.pk])).content.decode()
    assert html.index('data-testid="prev"') < html.index('data-testid="next"')
    assert html.index("上一篇") < html.index("下一篇")


@pytest.mark.parametrize("query", ["拖欠工资怎么办", "工伤赔偿"])
def test_a_rights_question_without_news_points_to_legal_aid_and_12351(client, query):
    ArticleFactory(title="劳模座谈会召开")
    html = client.get(reverse("news:list"), {"q": query}).content.decode()
    assert 'data-testid="rights-help"' in html
    assert f'href="{reverse("legal_aid:index")}"' in html and 'href="tel:12351"' in html


def test_an_ordinary_search_without_results_gets_no_rights_hint(client):
    ArticleFactory(title="劳模座谈会召开")
    html = client.get(reverse("news:list"), {"q": "篮球比赛"}).content.decode()
    assert 'data-testid="rights-help"' not in html


def test_neighbours_walk_articles_published_at_the_same_moment_by_id():
    from apps.news.selectors import article_neighbours

    moment = timezone.now() - timedelta(hours=1)
    before, a, b, c, after = (ArticleFactory() for _ in range(5))
    Article.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(published_at=moment)
    Article.objects.filter(pk=before.pk).update(published_at=moment - timedelta(minutes=1))
    Article.objects.filter(pk=after.pk).update(published_at=moment + timedelta(minutes=1))
    walk = {}
    for article in Article.objects.all():
        older, newer = article_neighbours(article=article)
        walk[article.pk] = (older and older.pk, newer and newer.pk)
    assert walk[b.pk] == (a.pk, c.pk)
    assert walk[a.pk] == (before.pk, b.pk)
    assert walk[c.pk] == (b.pk, after.pk)
    assert walk[before.pk][0] is None and walk[after.pk][1] is None


def test_related_puts_most_shared_tags_first_then_fills_from_the_column():
    from apps.news.selectors import article_related
    from apps.news.tests.factories import TagFactory

    column, other_column = ColumnFactory(), ColumnFactory()
    t1, t2 = TagFactory(), TagFactory()
    article = ArticleFactory(column=column)
    article.tags.set([t1, t2])
    one_tag = ArticleFactory(column=other_column)
    one_tag.tags.set([t1])
    two_tags = ArticleFactory(column=other_column)
    two_tags.tags.set([t1, t2])
    same_column = ArticleFactory(column=column)
    ArticleFactory(column=other_column)  # neither tag nor column
    assert [a.pk for a in article_related(article=article)] == [two_tags.pk, one_tag.pk, same_column.pk]
    assert [a.pk for a in article_related(article=article, limit=1)] == [two_tags.pk]
