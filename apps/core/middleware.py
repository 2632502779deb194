"""Portal middleware: bad admin input answers 400, the CSP header is built once, and the signed-in
person is read from the shared cache."""

import logging

from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _DjangoAuthenticationMiddleware
from django.db import DataError
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class AdminBadInputMiddleware:
    """The admin's changelist filters pass query values straight to the database: a NUL byte
    (PostgreSQL refuses it in text) or an integer beyond 64 bits would be a 500. Those are a
    visitor's mistake or a probe, so answer 400 with a plain message and log it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and any("\x00" in v for v in request.GET.values()):
            return self._bad(request, "NUL byte in query")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/admin/") and isinstance(exception, DataError | OverflowError):
            return self._bad(request, exception)
        return None

    @staticmethod
    def _bad(request, why):
        logger.warning("admin: bad filter input on %s: %s", request.path, why)
        return HttpResponseBadRequest(_("筛选条件无效。"), content_type="text/plain; charset=utf-8")


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the site policy built once instead of on every response.

    A response that asks for anything of its own (a nonce, a per-view update or replacement)
    still gets a policy built for it by django-csp. The cache is keyed by the settings object,
    so a changed ``CONTENT_SECURITY_POLICY`` (tests override it) builds a new one.
    """

    _built: dict = {}

    def process_response(self, request, response):
        own = getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None
            for name in ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt", "_csp_config_ro")
        )
        if (
            own
            or "Content-Security-Policy" in response
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        ):
            return super().process_response(request, response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        key = id(policy)
        if key not in self._built:
            self._built.clear()
            self._built[key] = build_policy(config=None, update=None, replace=None, nonce=None)
        header = self._built[key]
        if header and not request.path_info.startswith(tuple((policy or {}).get("EXCLUDE_URL_PREFIXES", None) or ())):
            response["Content-Security-Policy"] = header
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response, cached pages included (it sits outside the page
    cache). Location for "nearest to me" on the station map, this site only; the camera for this
    site only, site-wide because the QR scanner pages (activity and station check-in) are several
    and a per-page header would not survive the page cache's stored headers; the rest off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NulInQueryMiddleware:
    """A query parameter holding a NUL character is refused at the door: PostgreSQL cannot take
    it in a string literal, so it would reach a filter and answer 500. Pages answer 400; the
    JSON API answers 422 in its one error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in value for values in request.GET.lists() for value in values[1]
        ):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext

            message = gettext("请求中含有不允许的字符。")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": message, "fields": {}}, status=422)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class AuthenticationMiddleware(_DjangoAuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, with the signed-in person (and their role names)
    read from the entry kept for them in the shared cache (``apps/core/personal.py``): no query
    for the person on a signed-in page while nothing about them changed."""

    def process_request(self, request):
        super().process_request(request)
        from django.utils.functional import SimpleLazyObject

        from .personal import user_of

        def person():
            if not hasattr(request, "_cached_user"):
                request._cached_user = user_of(request)
            return request._cached_user

        request.user = SimpleLazyObject(person)

    def process_response(self, request, response):
        # Whatever a person does may change what is kept about them (their /me/ blocks).
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            user = getattr(request, "_cached_user", None)
            if user is not None and user.is_authenticated:
                from .personal import personal_changed

                personal_changed([user.pk])
        return response
