from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from apps.core.pagecache import public_fragment

from .models import Article, Column

FEED_SIZE = 30
EXCERPT_LENGTH = 200
FEED_FIELDS = (
    "id",
    "title",
    "summary",
    "byline",
    "published_at",
    "updated_at",
    "column__name",
    "author__real_name",
    "author__username",
)


class LatestArticlesFeed(Feed):
    """RSS of the latest published news, optionally of one column."""

    description = _("兴化市总工会工会新闻与工会专刊")

    def get_object(self, request, slug=None):
        return get_object_or_404(Column, slug=slug) if slug else None

    def title(self, column):
        name = settings.SITE_NAME
        return f"{name} · {column.name}" if column else f"{name} · {_('工会新闻')}"

    def link(self, column):
        return column.get_absolute_url() if column else reverse("news:list")

    def items(self, column):
        # Only what an entry shows: the body, its search text and vector stay in the database
        # (tens of kB per article), and the excerpt is cut there.
        qs = (
            Article.objects.published()
            .select_related("column", "author")
            .only(*FEED_FIELDS)
            .annotate(excerpt=Substr("body_text", 1, EXCERPT_LENGTH))
            .order_by("-published_at", "-id")
        )
        if column:
            qs = qs.filter(column=column)
        # The same entries for every reader until the news changes (apps/core/pagecache.py).
        return public_fragment(f"news-feed:{column.pk if column else 'all'}", lambda: list(qs[:FEED_SIZE]))

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.excerpt

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline_display

    def item_categories(self, item):
        return [item.column.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
