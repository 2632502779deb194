"""Reads of the news app. Each selector owns its joins, so pages run a fixed number of queries."""

import re
from html import escape
from urllib.parse import unquote

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, Sum, Value, Window
from django.db.models.functions import Length, Replace, RowNumber
from django.utils import timezone

from apps.core.pagecache import public_fragment

from .models import Article, Column, Tag
from .renditions import rendition_url
from .sanitize import body_image_sources
from .search import query_terms, unsegment

HOME_PINNED = 3
HOME_PER_COLUMN = 3
HOME_LATEST = 6
# Not needed on list cards, and they make sorting 5,000 rows slow.
HEAVY_FIELDS = ("body", "body_text", "search_text", "search_vector")


def article_public_list():
    """Published articles with what a list card shows (the long text columns left behind)."""
    return Article.objects.published().select_related("column", "edition").defer(*HEAVY_FIELDS)


ARTICLE_PAGE_FIELDS = (
    *(f.name for f in Article._meta.concrete_fields if f.name not in ("search_text", "search_vector")),
    "column__name",
    "column__slug",
    "edition__year",
    "edition__number",
    "edition__issued_on",
    "edition__pdf",
    "author__real_name",
    "author__username",
)


def article_public_detail(pk) -> Article:
    """One published article with column, edition, author, tags and images; raises DoesNotExist."""
    return (
        Article.objects.published()
        .select_related("column", "edition", "author")
        .prefetch_related("tags", "images")
        # Never shown: the search index's columns, and of the author only the name is (the
        # article is kept in the shared cache: no password hash or phone number goes with it).
        .only(*ARTICLE_PAGE_FIELDS)
        .get(pk=pk)
    )


def article_preview(pk) -> Article:
    """Any article, whatever its status (staff preview)."""
    return Article.objects.select_related("column", "edition", "author").prefetch_related("tags", "images").get(pk=pk)


def article_gallery(*, article: Article) -> list:
    """The article's images not already shown in its body, in order (uses the prefetched images)."""
    in_body = {unquote(src) for src in body_image_sources(article.body)}
    return [
        image
        for image in article.images.all()
        if image.renditions.get("full") and not {unquote(p) for p in image.media_paths} & in_body
    ]


def article_related(*, article: Article, limit: int = 4) -> list[Article]:
    """Published articles sharing tags or the column, most shared tags first.

    Two index-friendly queries rather than one count over every published article: the
    articles that share a tag (through the tag index), then, if there are too few, the
    newest of the same column.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]
    found: list[Article] = []
    if tag_ids:
        found = list(
            article_public_list()
            .exclude(pk=article.pk)
            .filter(tags__in=tag_ids)
            .annotate(shared=Count("tags", distinct=True))
            .order_by("-shared", "-published_at", "-id")[:limit]
        )
    if len(found) < limit:
        found += (
            article_public_list()
            .filter(column_id=article.column_id)
            .exclude(pk__in=[article.pk, *(a.pk for a in found)])
            .annotate(shared=Value(0, output_field=IntegerField()))
            .order_by("-published_at", "-id")[: limit - len(found)]
        )
    return found


def article_neighbours(*, article: Article) -> tuple[Article | None, Article | None]:
    """The previous (older) and next (newer) published article, by publication time.

    Each side starts with a plain range on ``published_at`` (which the status/published_at
    index can scan from this article outwards) and only then drops the ties on the wrong side
    of this article's id, so it reads a handful of rows even with 100,000 articles.
    """
    if article.published_at is None:
        return None, None
    base = Article.objects.published().only("id", "title", "published_at")
    at, pk = article.published_at, article.pk
    older = (
        base.filter(published_at__lte=at).exclude(published_at=at, id__gte=pk).order_by("-published_at", "-id").first()
    )
    newer = (
        base.filter(published_at__gte=at).exclude(published_at=at, id__lte=pk).order_by("published_at", "id").first()
    )
    return older, newer


# --- search --------------------------------------------------------------------------------
def _pg_query(terms: list[list[str]]):
    from django.contrib.postgres.search import SearchQuery

    def one(word: str):
        return SearchQuery(word, config="simple", search_type="plain")

    query = None
    for word, *subs in terms:
        clause = one(word)
        if subs:
            together = None
            for sub in subs:
                together = one(sub) if together is None else together & one(sub)
            clause = clause | together
        query = clause if query is None else query & clause
    return query


def article_search(qs, raw_query: str):
    """Filter and rank ``qs`` by a Chinese query; each row gets a ``snippet`` (marked HTML).

    PostgreSQL: full-text search over the jieba-segmented text (config 'simple'), ranked,
    with highlighted headlines. Elsewhere: every word must appear; title hits first.
    """
    terms = query_terms(raw_query)
    if not terms:
        return qs.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline, SearchRank

        query = _pg_query(terms)
        return (
            qs.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                headline=SearchHeadline(
                    "search_text",
                    query,
                    config="simple",
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_words=40,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-id")
        )
    qs = qs.defer(None).defer("body", "search_vector")  # the plain excerpt needs body_text
    condition = Q()
    score = Value(0)
    for word, *subs in terms:
        alternatives = Q(search_text__icontains=word)
        if subs:
            together = Q()
            for sub in subs:
                together &= Q(search_text__icontains=sub)
            alternatives |= together
        condition &= alternatives
        # Occurrences, weighted like the PostgreSQL vector: title 10, summary 3, body 1.
        for field, weight in (("title", 10), ("summary", 3), ("body_text", 1)):
            score = score + weight * _occurrences(field, word)
    return qs.filter(condition).annotate(rank=score).order_by("-rank", "-published_at", "-id")


def _occurrences(field: str, word: str):
    """How often ``word`` occurs in ``field``, computed by the database."""
    return (Length(field) - Length(Replace(F(field), Value(word), Value("")))) / len(word)


def snippet_for(article: Article, raw_query: str, *, length: int = 90) -> str:
    """Safe HTML excerpt with the query words in <mark>: the PG headline or a plain one."""
    headline = getattr(article, "headline", None)
    if headline:
        # The headline is built from our own segmented text; escape it, then restore the marks.
        safe = escape(headline).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
        return unsegment(safe)
    text = article.body_text or article.summary or ""
    words = sorted({w for term in query_terms(raw_query) for w in term}, key=len, reverse=True)
    lowered = text.lower()
    positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    start = max(0, min(positions) - 20) if positions else 0
    excerpt = text[start : start + length]
    html = escape(excerpt)
    if words:
        pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return ("…" if start else "") + html + ("…" if start + length < len(text) else "")


# --- cached fragments ----------------------------------------------------------------------
def _card(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "url": article.get_absolute_url(),
        "published_at": article.published_at,
        "column": article.column.name,
        "thumb": rendition_url(article.renditions, "thumb"),
        "thumb_webp": rendition_url(article.renditions, "thumb", "webp"),
        "card": rendition_url(article.renditions, "card"),
        "card_webp": rendition_url(article.renditions, "card", "webp"),
        "pinned": article.pinned,
    }


def home_panel_data() -> dict:
    """Pinned articles, the latest across columns and the latest few of every column; shared until
    the next write to the news (apps/core/pagecache.py)."""
    return public_fragment("news-home", _home_panel_build)


def _home_panel_build() -> dict:
    now = timezone.now()
    pinned = list(article_public_list().filter(pinned=True).order_by("-published_at", "-id")[:HOME_PINNED])
    latest = list(
        article_public_list()
        .annotate(
            row=Window(RowNumber(), partition_by=[F("column_id")], order_by=[F("published_at").desc(), F("id").desc()])
        )
        .filter(row__lte=HOME_PER_COLUMN)
        .order_by("column__sort_order", "column__name", "row")
    )
    newest = list(article_public_list().order_by("-published_at", "-id")[:HOME_LATEST])
    columns: dict[int, dict] = {}
    for article in latest:
        group = columns.setdefault(
            article.column_id,
            {"name": article.column.name, "url": article.column.get_absolute_url(), "articles": []},
        )
        group["articles"].append(_card(article))
    return {
        "pinned": [_card(a) for a in pinned],
        "latest": [_card(a) for a in newest],
        "columns": list(columns.values()),
        "built_at": now,
    }


def filter_choices() -> dict:
    """Columns, years and tags that have published articles (for the list filters); shared until
    the next write to the news."""
    return public_fragment("news-filter-choices", _filter_choices_build)


def _filter_choices_build() -> dict:
    published = Article.objects.published()
    return {
        "columns": [(c.slug, c.name) for c in Column.objects.all()],
        "years": [d.year for d in published.dates("published_at", "year", order="DESC")],
        "tags": [(t.slug, t.name) for t in Tag.objects.filter(articles__in=published).distinct().order_by("name")],
    }


def editor_desk(*, user, limit: int = 8) -> list[Article]:
    """An editor's own unpublished articles (drafts, returned, in review, scheduled)."""
    return list(
        Article.objects.filter(author=user)
        .exclude(status__in=[Article.Status.PUBLISHED, Article.Status.ARCHIVED])
        .only("id", "title", "status", "review_comment", "publish_at", "updated_at")
        .order_by("-updated_at")[:limit]
    )


def dashboard_figures(year: int) -> dict:
    """News figures for the leaders' dashboard, one query: articles published in the year (still
    public or archived since), their reads, and articles waiting for review now."""
    in_year = Q(
        status__in=[Article.Status.PUBLISHED, Article.Status.ARCHIVED],
        published_at__year=year,
        published_at__lte=timezone.now(),
    )
    figures = Article.objects.order_by().aggregate(
        published=Count("pk", filter=in_year),
        views=Sum("view_count", filter=in_year, default=0),
        in_review=Count("pk", filter=Q(status=Article.Status.IN_REVIEW)),
    )
    figures["year"] = year
    return figures


def dashboard_figure_group(year: int):
    """The news block of the leaders' dashboard (through the app contract)."""
    from django.utils.translation import gettext_lazy as _

    from apps.core.contract import Figure, FigureGroup

    figures = dashboard_figures(year)
    return FigureGroup(
        "news",
        _("工会新闻"),
        (
            Figure(
                "published", _("发布新闻"), figures["published"], _("篇"), definition=_("该年发布的新闻（含已归档）")
            ),
            Figure("views", _("新闻阅读量"), figures["views"], _("次"), definition=_("该年发布的新闻的累计阅读次数")),
            Figure(
                "in_review",
                _("待审核稿件"),
                figures["in_review"],
                _("篇"),
                status="warn" if figures["in_review"] else "",
                definition=_("此刻等待审核编辑处理的稿件"),
            ),
        ),
        order=10,
    )
