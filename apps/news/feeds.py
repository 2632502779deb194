from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Column
from .selectors import article_public_list

FEED_SIZE = 30


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
        qs = article_public_list().select_related("author").defer(None).order_by("-published_at", "-id")
        if column:
            qs = qs.filter(column=column)
        return qs[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body_text[:200]

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
