"""Journey 12: the home page shows each article once (pinned, 最新 and the columns do not repeat)."""

import pytest
from django.urls import reverse

from .factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db


def test_each_article_appears_once_on_the_home_page(client):
    column = ColumnFactory(name="工会要闻", slug="yaowen")
    pinned = ArticleFactory(column=column, pinned=True, title="十件实事新鲜出炉")
    others = [ArticleFactory(column=column, title=f"基层动态第{i}篇") for i in range(3)]
    body = client.get(reverse("home")).content.decode()
    panel = body[body.index('class="news-home"') :]
    panel = panel[: panel.index("</section>\n</div>") if "</section>\n</div>" in panel else len(panel)]
    for article in [pinned, *others]:
        assert panel.count(f'href="{article.get_absolute_url()}"') == 1, article.title
    assert 'class="news-column-chips"' in panel and 'href="/news/' in panel
