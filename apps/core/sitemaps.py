"""The portal's own pages in the sitemap; each app adds its own through the contract's
``sitemaps()`` hook (collected by ``registry.sitemaps``)."""

import datetime
from html import escape

from django.contrib.sitemaps import Sitemap
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)


# --- The sitemap view ------------------------------------------------------------------------
# Django's own view renders every <url> through the template engine and asks each section for a
# count before its page; at 5,000 articles that is seconds. This one reads each section once
# (its ``limit`` rows of page ``?p=``) and writes the XML directly; the sections stay ordinary
# Django ``Sitemap`` classes, so ``items``, ``location``, ``lastmod``, ``changefreq`` and
# ``priority`` mean what Django's documentation says.

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def _value(site, name: str, item):
    attr = getattr(site, name, None)
    return attr(item) if callable(attr) else attr


def _page_number(request) -> int:
    raw = request.GET.get("p", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404(_("没有这一页。"))
    return int(raw)


@require_GET
def sitemap(request):
    from . import registry

    page = _page_number(request)
    base = f"{request.scheme}://{request.get_host()}"
    parts, newest, every_lastmod, count = [_HEADER], None, True, 0
    zone = timezone.get_current_timezone()
    for section in registry.sitemaps().values():
        site = section()
        start = (page - 1) * site.limit
        for item in site.items()[start : start + site.limit]:
            count += 1
            row = ["<url><loc>", escape(base + site.location(item)), "</loc>"]
            lastmod = _value(site, "lastmod", item)
            if lastmod is None:
                every_lastmod = False
            else:
                if isinstance(lastmod, datetime.datetime):
                    lastmod = lastmod.astimezone(zone) if lastmod.tzinfo is not None else lastmod
                    newest = lastmod if newest is None or lastmod > newest else newest
                row += ["<lastmod>", lastmod.strftime("%Y-%m-%d"), "</lastmod>"]
            changefreq = _value(site, "changefreq", item)
            if changefreq:
                row += ["<changefreq>", changefreq, "</changefreq>"]
            priority = _value(site, "priority", item)
            if priority is not None:
                row += ["<priority>", str(priority), "</priority>"]
            row.append("</url>")
            parts.append("".join(row))
    if page > 1 and not count:
        raise Http404(_("没有这一页。"))
    parts.append("\n</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    if every_lastmod and newest is not None:
        response.headers["Last-Modified"] = http_date(newest.timestamp())
    return response
