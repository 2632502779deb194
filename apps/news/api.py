"""News through ``/api/v1/news/``: the public list (cursor-paged, filtered and searched as on
``/news/``), an article, the columns. Reads call the page's selectors."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema

from apps.core.api import ERRORS, cursor_page, public_read
from apps.core.pagecache import public_fragment

from .models import Article
from .search import query_clean
from .selectors import (
    article_gallery,
    article_neighbours,
    article_public_detail,
    article_public_list,
    article_related,
    article_search,
    filter_choices,
    snippet_for,
)

router = Router(tags=["news"])

LIST_ORDER = ("-pinned", "-published_at", "-id")


class ArticleCardOut(Schema):
    id: int
    title: str
    summary: str
    column: str
    column_slug: str
    published_at: datetime.datetime
    pinned: bool
    thumb: str
    url: str
    snippet: str = ""


class ArticlePageOut(Schema):
    items: list[ArticleCardOut]
    next_cursor: str | None


class TagOut(Schema):
    slug: str
    name: str


class ImageOut(Schema):
    url: str
    caption: str


class NeighbourOut(Schema):
    id: int
    title: str
    published_at: datetime.datetime
    url: str


class ArticleOut(ArticleCardOut):
    body: str
    byline: str
    source: str
    tags: list[TagOut]
    gallery: list[ImageOut]
    related: list[ArticleCardOut]
    older: NeighbourOut | None
    newer: NeighbourOut | None


class ColumnOut(Schema):
    slug: str
    name: str


class ArticleFilters(Schema):
    column: str = ""
    # Within the years articles can have: a year past 9999 would reach the database as a date
    # it cannot build (a 500); out of range is a 422 in the one error shape.
    year: int | None = Field(default=None, ge=1900, le=2200)
    tag: str = ""
    cursor: str | None = None
    limit: int = 20


def _card(article: Article, snippet: str = "") -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "column": article.column.name,
        "column_slug": article.column.slug,
        "published_at": article.published_at,
        "pinned": article.pinned,
        "thumb": article.thumb_url,
        "url": article.get_absolute_url(),
        "snippet": snippet,
    }


def _neighbour(article: Article | None) -> dict | None:
    # The neighbours are read lean (id, title, date): nothing else of theirs is asked for.
    if article is None:
        return None
    return {
        "id": article.pk,
        "title": article.title,
        "published_at": article.published_at,
        "url": article.get_absolute_url(),
    }


def _filtered(filters: ArticleFilters):
    qs = article_public_list()
    if filters.column:
        qs = qs.filter(column__slug=filters.column)
    if filters.year:
        qs = qs.filter(published_at__year=filters.year)
    if filters.tag:
        qs = qs.filter(tags__slug=filters.tag)
    return qs


@router.get("/articles", response={200: ArticlePageOut, 422: ERRORS[422]}, summary="新闻列表", url_name="news_articles")
@public_read
def articles(request, filters: Query[ArticleFilters]):
    """Published articles, pinned first then newest, as on /news/ (column, year and tag filters)."""
    rows, next_cursor = cursor_page(_filtered(filters), cursor=filters.cursor, limit=filters.limit, ordering=LIST_ORDER)
    return {"items": [_card(a) for a in rows], "next_cursor": next_cursor}


@router.get("/search", response={200: ArticlePageOut, 422: ERRORS[422]}, summary="新闻搜索", url_name="news_search")
@public_read
def search(request, q: str, filters: Query[ArticleFilters]):
    """Chinese search over published articles, best match first, each with a marked snippet."""
    query = query_clean(q)
    qs = _filtered(filters)
    if not query:
        return {"items": [], "next_cursor": None}
    found = article_search(qs.distinct() if filters.tag else qs, query)
    rows, next_cursor = cursor_page(found, cursor=filters.cursor, limit=filters.limit)
    return {"items": [_card(a, snippet_for(a, query)) for a in rows], "next_cursor": next_cursor}


@router.get("/columns", response=list[ColumnOut], summary="栏目", url_name="news_columns")
@public_read
def columns(request):
    """The news columns, in the union's order."""
    return [{"slug": slug, "name": name} for slug, name in filter_choices()["columns"]]


@router.get("/articles/{pk}", response={200: ArticleOut, 404: ERRORS[404]}, summary="新闻详情", url_name="news_article")
@public_read
def article(request, pk: int):
    """A published article with its tags, gallery, related articles and neighbours."""
    try:
        found = public_fragment(f"news-article:{pk}", lambda: article_public_detail(pk))
    except Article.DoesNotExist:
        raise Http404 from None
    related, older, newer = public_fragment(
        f"news-around:{found.pk}",
        lambda: (article_related(article=found), *article_neighbours(article=found)),
    )
    return {
        **_card(found),
        "body": found.body,
        "byline": found.byline_display,
        "source": found.source,
        "tags": [{"slug": t.slug, "name": t.name} for t in found.tags.all()],
        "gallery": [{"url": image.full_url, "caption": image.caption} for image in article_gallery(article=found)],
        "related": [_card(a) for a in related],
        "older": _neighbour(older),
        "newer": _neighbour(newer),
    }
