import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from apps.core.pagecache import public_fragment

from .models import Article, Column

FEED_SIZE = 30


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed: what it shows, nothing else."""

    url: str
    title: str
    description: str
    published_at: datetime.datetime
    updated_at: datetime.datetime
    byline: str
    column: str


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

    def __call__(self, request, *args, **kwargs):
        """Django's ``Feed.__call__``, writing the XML into a string and the response once: the
        feed generator writes some 1,000 small pieces, each a call through HttpResponse.write."""
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None
        feed = self.get_feed(obj, request)
        out = io.StringIO()
        feed.write(out, "utf-8")
        response = HttpResponse(out.getvalue(), content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        return response

    def items(self, column):
        # Only what an entry shows: the body, its search text and vector stay in the database
        # (tens of kB per article), and the excerpt is cut there. The entries are the same for
        # every reader until the news changes (apps/core/pagecache.py), kept as plain records
        # (unpickling 30 model instances with their column and author costs more than the query).
        qs = (
            Article.objects.published()
            .select_related("column", "author")
            .only(*FEED_FIELDS)
            .annotate(excerpt=Substr("body_text", 1, EXCERPT_LENGTH))
            .order_by("-published_at", "-id")
        )
        if column:
            qs = qs.filter(column=column)

        def entries():
            return [
                FeedEntry(
                    url=a.get_absolute_url(),
                    title=a.title,
                    description=a.summary or a.excerpt,
                    published_at=a.published_at,
                    updated_at=a.updated_at,
                    byline=a.byline_display,
                    column=a.column.name,
                )
                for a in qs[:FEED_SIZE]
            ]

        return public_fragment(f"news-feed-entries:{column.pk if column else 'all'}", entries)

    def item_link(self, item):
        return item.url

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline

    def item_categories(self, item):
        return [item.column]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
