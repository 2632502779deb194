import datetime

import pytest
from django.utils import timezone

from apps.news.models import Article
from apps.news.selectors import dashboard_figures

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def test_counts_articles_published_in_the_year_their_reads_and_the_review_queue(django_assert_num_queries):
    a = ArticleFactory(published_at=_at(2024, 3, 1))
    b = ArticleFactory(published_at=_at(2024, 12, 30), status=Article.Status.ARCHIVED)
    ArticleFactory(published_at=_at(2023, 12, 30))
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.IN_REVIEW)
    Article.objects.filter(pk=a.pk).update(view_count=120)
    Article.objects.filter(pk=b.pk).update(view_count=30)

    with django_assert_num_queries(1):
        figures = dashboard_figures(2024)

    assert figures == {"year": 2024, "published": 2, "views": 150, "in_review": 1}
    assert dashboard_figures(2022) == {"year": 2022, "published": 0, "views": 0, "in_review": 1}
