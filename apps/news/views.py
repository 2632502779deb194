from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.accounts.roles import role_required
from apps.core.pagecache import public_fragment, query_signature

from .filters import ArticleFilter
from .models import Article
from .search import query_clean
from .selectors import (
    article_gallery,
    article_neighbours,
    article_preview,
    article_public_detail,
    article_public_list,
    article_related,
    article_search,
    snippet_for,
)
from .services import article_view_count_increment

PAGE_SIZE = 12
# Words of a worker looking for help with their rights rather than for news; a search with no
# result for them points to 维权服务 and the 12351 hotline.
RIGHTS_WORDS = (
    "工资",
    "欠薪",
    "拖欠",
    "讨薪",
    "维权",
    "劳动合同",
    "合同",
    "工伤",
    "仲裁",
    "辞退",
    "开除",
    "解雇",
    "加班",
    "社保",
    "赔偿",
    "补偿",
    "法律",
    "律师",
    "试用期",
    "年假",
    "病假",
    "产假",
    "劳动争议",
    "押金",
)


def _rights_help_url(query: str) -> str:
    """Where to send a rights question ('' when the query is not one)."""
    if not query or not any(word in query for word in RIGHTS_WORDS):
        return ""
    try:
        return reverse("legal_aid:index")
    except NoReverseMatch:
        return ""


FILTER_SELECTS = ("column", "year", "tag")


def _select_options(form) -> dict[str, str]:
    """Each filter select's <option>s with none chosen: the same for every visitor."""
    return {
        name: "".join(
            f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in form.fields[name].choices
        )
        for name in FILTER_SELECTS
    }


def _filter_selects(article_filter) -> list[dict]:
    """The column, year and tag selects as ready HTML (the list page's hottest fragment).

    Written by hand rather than through Django's widget templates, which cost a quarter of the
    page; ids and names are the ones the filter form would give. The options are shared by every
    visitor until the news changes (apps/core/pagecache.py); the visitor's choice is marked in
    their copy.
    """
    form = article_filter.form
    shared = public_fragment(f"news-filter-options:{get_language()}", lambda: _select_options(form))
    selects = []
    for name in FILTER_SELECTS:
        options = shared[name]
        chosen = str(form.data.get(name, "")) if article_filter.is_bound else ""
        option = f'<option value="{escape(chosen)}">'  # "" is "all", chosen when nothing is
        options = options.replace(option, f"{option[:-1]} selected>", 1)
        label = form.fields[name].label
        selects.append({"name": name, "id": f"id_{name}", "label": label, "options": mark_safe(options)})  # noqa: S308
    return selects


def article_list(request):
    """/news/: filters (column, year, tag), Chinese search and pagination."""
    article_filter = ArticleFilter(request.GET or None, queryset=article_public_list())
    qs = article_filter.qs if article_filter.is_bound and article_filter.is_valid() else article_public_list()
    if article_filter.is_bound and not article_filter.is_valid():
        qs = qs.none()
    query = query_clean(request.GET.get("q"))
    if query:
        qs = article_search(qs.distinct() if request.GET.get("tag") else qs, query)
    paginator = Paginator(qs, PAGE_SIZE)
    # Counting 100,000 published articles takes tens of milliseconds; the count of each filter
    # is shared by every visitor until a write to the news changes it (apps/core/pagecache.py).
    name = "news-count:" + query_signature(request, leave_out=("page",))
    paginator.count = public_fragment(name, qs.count)
    page_obj = paginator.get_page(request.GET.get("page"))
    if query:
        articles = list(page_obj.object_list)
        for article in articles:
            article.snippet = snippet_for(article, query)
        cards = _cards_html(articles)
    else:
        # Without a search, a page of cards is the same for every visitor with these filters:
        # shared, rendered, until the news changes. Only the number of cards comes back with it.
        def build():
            found = list(page_obj.object_list)
            return _cards_html(found), len(found)

        cards, shown = public_fragment(f"{name}:page:{page_obj.number}:{get_language()}", build)
        articles = None
        page_obj = Page([None] * shown, page_obj.number, paginator)
    return render(
        request,
        "news/article_list.html",
        {
            "filter_selects": _filter_selects(article_filter),
            "q_value": request.GET.get("q", "")[:200],
            "page_obj": page_obj,
            "articles": articles,  # the search results themselves (the tests read them)
            "cards_html": cards,
            "query": query,
            "rights_help": "" if cards else _rights_help_url(query),
        },
    )


def _cards_html(articles) -> str:
    return render_to_string("news/_article_cards.html", {"articles": articles}).strip() if articles else ""


def _render_detail(request, article: Article, *, preview: bool = False):
    related, older, newer = [], None, None
    if article.is_public:
        # What surrounds a public article is the same for everyone and changes only when the
        # news does: shared under the page-cache generation (apps/core/pagecache.py).
        related, older, newer = public_fragment(
            f"news-around:{article.pk}",
            lambda: (article_related(article=article), *article_neighbours(article=article)),
        )
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "gallery": article_gallery(article=article),
            "related": related,
            "older": older,
            "newer": newer,
            "preview": preview,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )


def article_detail(request, pk: int):
    """/news/<id>/: a published article; anything else is 404."""
    try:
        # The article with its tags and images is the same for every reader until the news
        # changes: shared like what surrounds it. A miss (no such public article) is not kept.
        article = public_fragment(f"news-article:{pk}", lambda: article_public_detail(pk))
    except Article.DoesNotExist:
        raise Http404 from None
    return _render_detail(request, article)


@csrf_exempt
@require_POST
def article_read(request, pk: int):
    """One reader of a published article (the page's beacon posts here; 204, nothing else).

    Counted apart from the page so that a page served from the anonymous page cache still counts
    its reader; there is nothing to forge but a counter, so it carries no CSRF token.
    """
    if not article_view_count_increment(article_id=pk):
        raise Http404
    return HttpResponse(status=204)


@role_required("news.view_article")
def article_preview_view(request, pk: int):
    """Staff preview of any article exactly as the public page will show it."""
    try:
        article = article_preview(pk)
    except Article.DoesNotExist:
        raise Http404 from None
    return _render_detail(request, article, preview=True)
