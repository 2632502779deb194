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
