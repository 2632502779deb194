"""CSRF for forms that anonymous visitors post from cached pages.

A page kept in the shared anonymous cache cannot carry a CSRF token (the token is per visitor).
Forms that anonymous visitors may post from such a page (a station check-in) therefore prove
they come from this site by the request's ``Origin`` header (or, where a browser sends none,
its ``Referer``), which a page on another site cannot forge. Signed-in visitors get fresh
pages with a token, and their posts keep Django's full token check.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def _origin_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def same_origin(request) -> bool:
    """Whether the post comes from a page of this site (or a CSRF_TRUSTED_ORIGINS one)."""
    try:
        own = f"{request.scheme}://{request.get_host()}".lower()
    except DisallowedHost:
        return False
    trusted = {own, *(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)}
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin.lower() in trusted
    return _origin_of(request.META.get("HTTP_REFERER", "")) in trusted


def token_or_same_origin(view):
    """Signed in: Django's CSRF token check. Anonymous: the same-origin check above."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        if not getattr(request, "_dont_enforce_csrf_checks", False) and not same_origin(request):
            return get_callable(settings.CSRF_FAILURE_VIEW)(
                request, reason="Origin checking failed: not posted from this site."
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
