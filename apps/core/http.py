"""One safe-redirect helper for every ``next``: a form or link may only send a person back to
a page of this site (no other host, no ``javascript:``, no scheme downgrade)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str, *, value: str | None = None, param: str = "next") -> str:
    """``value`` (or the request's ``param`` from POST, then GET) if it is a URL on this site,
    else ``fallback``."""
    if value is None:
        value = request.POST.get(param) or request.GET.get(param) or ""
    value = (value or "").strip()
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return fallback


def redirect_next(request, fallback: str, *, value: str | None = None, param: str = "next") -> HttpResponseRedirect:
    """Redirect to :func:`safe_next` — a plain redirect (``shortcuts.redirect`` would take
    ``?next=word`` for a URL name and answer 500)."""
    return HttpResponseRedirect(safe_next(request, fallback, value=value, param=param))


# Far past any real list; also far inside the database's 64-bit integers (an OFFSET of
# 2^63 rows answered 500 "bigint out of range").
MAX_PAGE = 10_000


def int_param(request, name: str, *, default: int, minimum: int = 1, maximum: int = MAX_PAGE) -> int:
    """A whole-number query parameter within ``minimum``..``maximum``; anything else is ``default``
    (a number out of range is clamped: ``?page=99999999999999999999`` is the last allowed page)."""
    try:
        value = int(str(request.GET.get(name, default)).strip()[:24])
    except (TypeError, ValueError):
        return default
    return max(minimum, min(value, maximum))


def page_number(request, *, param: str = "page") -> int:
    """The page asked for, as a number the paginator and the database can take."""
    return int_param(request, param, default=1)
