"""The anonymous page cache: public pages served to visitors who are not signed in, from a
shared cache (Redis in production, local memory on the embedded default).

Where it sits: right after the security and static-file middleware, before sessions, CSRF,
authentication and messages. A request that can be answered from the cache never reaches them.

Who is served from it: GET and HEAD requests carrying neither a session cookie nor a messages
cookie. Everyone else — a signed-in worker, a visitor with a flash message waiting — gets a
freshly rendered page marked ``Cache-Control: private``.

What is stored: only a page whose URL name an app lists in ``PortalAppConfig.public_pages``,
answered 200 to an anonymous visitor, that set no cookie, used no CSRF token, showed no message,
used no CSP nonce and was not marked private by its view. The cache key is the release
(``settings.RELEASE``: a deploy never reads what an older one stored), the language and the
scheme, host and full path (with the query string).

How it is invalidated: every entry carries the site-wide "pages" generation it was rendered
under. A write to any model an app lists in ``PortalAppConfig.public_models`` bumps the
generation when its transaction commits (model signals; code that writes those models with
``QuerySet.update()``/``bulk_create`` calls :func:`pages_changed` itself), and every page
rendered before it stops matching at once. The generation is read before the page is rendered,
so a page built from data older than a write is never stored as newer than it. Entries also
expire after ``PAGE_CACHE_SECONDS`` so that pages that change with the clock (year end, "overdue")
are at most that old.

HTTP: cached pages carry ``Cache-Control: public, max-age=0, must-revalidate``, a weak ``ETag``
(a matching ``If-None-Match`` gets 304) and ``Vary: Cookie, Accept-Language, Accept-Encoding``,
so a proxy in front may keep them too but must ask again; other pages get
``Cache-Control: private``.

Compression: a page of text is stored gzipped (compressed once, when it is stored; see
``apps/core/compression.py``) and sent as it is to clients that accept gzip — every browser —
and unpacked for the few that do not. A view may answer with a body it gzipped itself
(``Content-Encoding: gzip``); it is stored as it came.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
from functools import cache as memoize
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_request

from .cache import generation_key
from .compression import accepts_gzip, gzipped

logger = logging.getLogger(__name__)

GENERATION = "pages"
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"
# Headers a stored page keeps; the rest are per-response and added by outer middleware anyway.
_STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def fragment_key(name: str) -> str:
    """The cache key of a fragment: its name under this release."""
    return f"fragment:{settings.RELEASE}:{name}"


def current_generation():
    """The page generation now (started if the cache has none): for code that keeps what it read
    from :func:`public_fragment` in its own process, keyed by this and the fragment's name."""
    cache = _cache()
    gen_key = generation_key(GENERATION)
    current = cache.get(gen_key)
    if current is None:
        cache.add(gen_key, time.time_ns(), None)
        current = cache.get(gen_key)
    return current


def public_fragment(name: str, build, *, seconds: int | None = None):
    """A value built for everyone alike (a block of a page, computed figures), kept under the same
    generation and lifetime as the cached pages: ``build()`` runs again after any write that
    would refresh a cached page, and at most ``PAGE_CACHE_SECONDS`` (or ``seconds``, if shorter)
    after the last build.

    Only for what does not depend on the visitor. ``name`` must say everything else the value
    depends on (the language, the date ...); the release is part of the key, so a deploy never
    reads what an older one stored. Off with ``FRAGMENT_CACHE_ENABLED`` (the tests, where
    transactions roll back and no generation is ever bumped).
    """
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build()
    cache = _cache()
    key, gen_key = fragment_key(name), generation_key(GENERATION)
    found = cache.get_many([key, gen_key])
    current, entry = found.get(gen_key), found.get(key)
    if entry is not None and current is not None and entry[0] == current:
        return entry[1]
    if current is None:
        cache.add(gen_key, time.time_ns(), None)
        current = cache.get(gen_key)
    value = build()  # built after reading the generation: a write meanwhile makes it stale
    if current is not None:
        lifetime = settings.PAGE_CACHE_SECONDS if seconds is None else min(seconds, settings.PAGE_CACHE_SECONDS)
        cache.set(key, (current, value), lifetime)
    return value


def query_signature(request, *, leave_out: tuple[str, ...] = ()) -> str:
    """The request's query parameters in one canonical order, hashed: a fragment name part that
    is the same for ``?a=1&b=2`` and ``?b=2&a=1`` (parameters in ``leave_out`` do not count)."""
    asked = urlencode(sorted((k, v) for k, values in request.GET.lists() if k not in leave_out for v in values))
    return hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()


def pages_changed() -> None:
    """Make every cached public page stale once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    _cache().set(generation_key(GENERATION), time.time_ns(), None)


# --- What may be served and stored ----------------------------------------------------------


def _has_private_cookie(request) -> bool:
    """A session or message cookie, or an API client's credentials (``X-Session-Token``,
    ``Authorization``): such a request is never served from the cache nor stored in it."""
    cookies = request.COOKIES
    if "HTTP_X_SESSION_TOKEN" in request.META or "HTTP_AUTHORIZATION" in request.META:
        return True
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def _page_key(request) -> str:
    language = get_language_from_request(request)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode(), digest_size=20).hexdigest()
    return f"page:{settings.RELEASE}:{language}:{digest}"


@memoize
def public_page_names() -> frozenset[str]:
    from .api import public_operation_names
    from .registry import public_pages

    # The API's public reads (``apps/core/api.py``, ``public_read``) are public pages too.
    return frozenset(public_pages()) | public_operation_names()


def _messages_shown(request) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return bool(storage._queued_messages) or bool(getattr(storage, "_loaded_data", None))


def _storable(request, response) -> bool:
    """True only for a public page rendered for nobody in particular."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in public_page_names():
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.get("Content-Encoding", "gzip") != "gzip":
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if _messages_shown(request):
        return False
    if "nonce-" in response.get("Content-Security-Policy", ""):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _etag(content: bytes) -> str:
    # Weak: the gzip and the plain body of one page are the same page (RFC 9110 8.8.1).
    return f'W/"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _etag_matches(request, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/"x" matches "x"."""
    asked = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not asked:
        return False
    return asked.strip() == "*" or _opaque(etag) in [_opaque(tag) for tag in asked.split(",")]


def _mark_public(response, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    patch_vary_headers(response, ("Cookie", "Accept-Language", "Accept-Encoding"))


def _not_modified(etag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    _mark_public(response, etag)
    response["X-Page-Cache"] = "hit"
    return response


# --- The middleware -----------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Serve and store public pages for anonymous visitors (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD") or _has_private_cookie(request):
            return self._fresh(request)

        cache = _cache()
        key = _page_key(request)
        gen_key = generation_key(GENERATION)
        found = cache.get_many([key, gen_key])
        current = found.get(gen_key)
        entry = found.get(key)
        if entry is not None and current is not None and entry[0] == current:
            return self._serve(request, entry)

        if current is None:
            # A new or emptied cache: start a generation (another worker may win the race).
            cache.add(gen_key, time.time_ns(), None)
            current = cache.get(gen_key)
        response = self.get_response(request)
        if request.method == "GET" and current is not None and _storable(request, response):
            content = response.content
            etag = _etag(content)
            headers = [(name, response[name]) for name in _STORED_HEADERS if name in response]
            if response.get("Content-Encoding") == "gzip":
                body, packed = content, True
            else:
                compressed = gzipped(content, response.get("Content-Type", ""))
                body, packed = (compressed, True) if compressed is not None else (content, False)
            entry = (current, response.status_code, headers, body, etag, packed)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            if packed and body is not content and accepts_gzip(request):
                response.content = body
                response["Content-Encoding"] = "gzip"
                response["Content-Length"] = str(len(body))
            _mark_public(response, etag)
            response["X-Page-Cache"] = "miss"
            if _etag_matches(request, etag):
                return _not_modified(etag)
        elif "Cache-Control" not in response:
            patch_cache_control(response, private=True, max_age=0)
        return response

    def _fresh(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, max_age=0)
        return response

    @staticmethod
    def _serve(request, entry):
        _generation, status, headers, body, etag, packed = entry
        if _etag_matches(request, etag):
            return _not_modified(etag)
        if packed and not accepts_gzip(request):
            body, packed = gzip.decompress(body), False
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        if packed:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(body))
        _mark_public(response, etag)
        response["X-Page-Cache"] = "hit"
        return response


# --- Invalidation -------------------------------------------------------------------------


def _on_write(sender, **kwargs) -> None:
    pages_changed()


def _on_m2m(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        pages_changed()


def connect_invalidation() -> None:
    """Bump the page generation on every write to a model an app lists as shown on public pages
    (and the person's generation on every write to a user or their roles: apps/core/personal.py)."""
    from django.apps import apps

    from . import personal
    from .registry import public_models

    personal.connect()

    for label in public_models():
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"pagecache-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"pagecache-m2m-{label}-{field.name}")
