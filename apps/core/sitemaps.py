"""The portal's own pages in the sitemap; each app adds its own through the contract's
``sitemaps()`` hook (collected by ``registry.sitemaps``)."""

import datetime
from html import escape

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .pagecache import public_fragment
from .paths import object_path_maker


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)


class ObjectSitemap(Sitemap):
    """A section of model pages (one URL per row) that the sitemap view can write without making
    a model instance per row.

    At 100,000 articles, ``Model.__init__`` was the largest cost of the sitemap, then the URL and
    the date of each row. A section says which URL name its pages have (``viewname``), which
    values fill that URL's integer arguments (``path_fields``, lookups such as ``"plan__year"``
    allowed) and which field is its ``lastmod``; :meth:`rows` then reads only those columns and
    builds each path with :func:`~apps.core.paths.object_path`. ``viewname`` and ``path_fields``
    must give the same path as the model's ``get_absolute_url`` (the tests check it), which
    ``location()`` still uses, so the section stays an ordinary Django ``Sitemap`` for anyone
    calling ``items()``. ``changefreq`` and ``priority`` are plain attributes here: :meth:`rows`
    has no item to pass to a method.
    """

    limit = 1000  # small files: a crawler's request, and an uncached render, stay cheap
    changefreq: str | None = None
    priority: float | None = None
    viewname: str = ""
    path_fields: tuple[str, ...] = ("pk",)
    lastmod_field: str | None = "updated_at"

    def queryset(self) -> QuerySet:
        """The rows of the section, ordered (pages are slices of it)."""
        raise NotImplementedError

    def items(self):
        return self.queryset()

    def lastmod(self, item):
        return getattr(item, self.lastmod_field) if self.lastmod_field else None

    def rows(self, start: int, stop: int):
        """``(path, lastmod)`` of rows ``start`` to ``stop`` of the section, in one query."""
        fields = self.path_fields + ((self.lastmod_field,) if self.lastmod_field else ())
        width = len(self.path_fields)
        path = object_path_maker(self.viewname, width)
        for row in self.queryset().values_list(*fields)[start:stop]:
            yield path(*row[:width]), (row[width] if self.lastmod_field else None)


# --- The sitemap views ------------------------------------------------------------------------
# ``/sitemap.xml`` is an index: one ``<sitemap>`` per page of every section that has rows, each
# page a file ``/sitemap-<section>.xml?p=N`` of at most the section's ``limit`` URLs (Django's own
# naming). One file of every section was 1.4 MB at 100,000 articles and most of a second to
# render; the index costs one count per section (kept as a shared fragment until a write), and a
# section file reads its page in one query and writes the XML directly. Django's own views render
# every <url> through the template engine; the sections stay ordinary Django ``Sitemap`` classes,
# so ``items``, ``location``, ``lastmod``, ``changefreq``, ``priority`` and ``limit`` mean what
# Django's documentation says.

_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_URLSET = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_XMLNS}" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
_INDEX = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_XMLNS}">\n'


def _value(site, name: str, item):
    attr = getattr(site, name, None)
    return attr(item) if callable(attr) else attr


def _page_number(request) -> int:
    raw = request.GET.get("p", "1")
    # ASCII digits only ("²" is a digit to ``isdigit`` but not to ``int``), and few of them.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise Http404(_("没有这一页。"))
    return int(raw)


def section_counts() -> dict[str, int]:
    """The number of rows of every section, by name: one count query per queryset section."""
    from . import registry

    counts = {}
    for name, section in registry.sitemaps().items():
        items = section().items()
        counts[name] = items.count() if isinstance(items, QuerySet) else len(items)
    return counts


@require_GET
def sitemap(request):
    """The sitemap index: a ``<sitemap>`` per page of every section that has rows."""
    from . import registry

    if _page_number(request) != 1:  # one index file: a ``?p=`` left from the old paged sitemap
        raise Http404(_("没有这一页。"))
    base = f"{request.scheme}://{request.get_host()}"
    counts = public_fragment("sitemap-counts", section_counts)
    parts = [_INDEX]
    for name, section in registry.sitemaps().items():
        count = counts.get(name, 0)
        if not count:
            continue
        loc = escape(base + reverse("sitemap_section", kwargs={"section": name}))
        pages = -(-count // section.limit)
        parts.append(f"<sitemap><loc>{loc}</loc></sitemap>")
        parts += [f"<sitemap><loc>{loc}?p={page}</loc></sitemap>" for page in range(2, pages + 1)]
    parts.append("\n</sitemapindex>\n")
    return HttpResponse("".join(parts), content_type="application/xml")


def _generic_rows(site, start: int, stop: int):
    """``(path, lastmod, changefreq, priority)`` through Django's ``Sitemap`` API, for sections
    without :meth:`ObjectSitemap.rows` (the few fixed pages, lists of URL names)."""
    for item in site.items()[start:stop]:
        yield (
            site.location(item),
            _value(site, "lastmod", item),
            _value(site, "changefreq", item),
            _value(site, "priority", item),
        )


def _tail(changefreq, priority) -> str:
    tail = []
    if changefreq:
        tail += ["<changefreq>", changefreq, "</changefreq>"]
    if priority is not None:
        tail += ["<priority>", str(priority), "</priority>"]
    tail.append("</url>")
    return "".join(tail)


@require_GET
def sitemap_section(request, section):
    """Page ``?p=`` of one section: a ``<urlset>`` of at most the section's ``limit`` URLs."""
    from . import registry

    found = registry.sitemaps().get(section)
    if found is None:
        raise Http404(_("没有这一页。"))
    page = _page_number(request)
    site = found()
    start = (page - 1) * site.limit
    stop = start + site.limit
    if getattr(site, "rows", None) is not None:
        # The same for every row (see ObjectSitemap).
        tail = _tail(getattr(site, "changefreq", None), getattr(site, "priority", None))
        rows = ((path, lastmod, tail) for path, lastmod in site.rows(start, stop))
    else:
        rows = ((path, lastmod, _tail(cf, pr)) for path, lastmod, cf, pr in _generic_rows(site, start, stop))

    base = escape(f"{request.scheme}://{request.get_host()}")
    parts, newest, every_lastmod, count = [_URLSET], None, True, 0
    zone = timezone.get_current_timezone()
    for path, lastmod, tail in rows:
        count += 1
        if lastmod is None:
            every_lastmod = False
            parts.append(f"<url><loc>{base}{escape(path)}</loc>{tail}")
            continue
        if isinstance(lastmod, datetime.datetime):
            lastmod = lastmod.astimezone(zone) if lastmod.tzinfo is not None else lastmod
            newest = lastmod if newest is None or lastmod > newest else newest
            day = lastmod.date()
        else:
            day = lastmod
        # ``isoformat`` of a date is ``%Y-%m-%d``, several times cheaper than ``strftime``.
        parts.append(f"<url><loc>{base}{escape(path)}</loc><lastmod>{day.isoformat()}</lastmod>{tail}")
    if page > 1 and not count:
        raise Http404(_("没有这一页。"))
    parts.append("\n</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    if count and every_lastmod and newest is not None:
        response.headers["Last-Modified"] = http_date(newest.timestamp())
    return response
