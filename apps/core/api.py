"""``/api/v1/``: one django-ninja API; each app contributes its own ``Router`` through the app
contract's ``api_router()`` hook, mounted here under ``/api/v1/<app label>/``.

The pieces every router shares live here, so there is one way to do each:

- **Errors.** Every error answers ``{"code", "message", "fields"}`` (:class:`ErrorOut`). A
  service's ``ValidationError`` (or an invalid form, through :func:`form_invalid`) becomes a 422
  with the same messages the page shows; schema errors, 401, 403, 404 and 429 use the same shape.
- **Sign-in.** :data:`session_token` reads allauth headless session tokens (``X-Session-Token``,
  as the ``app`` client of ``/_allauth/app/v1/`` hands them out) and sets ``request.user``, so
  operations call the same services and selectors as the pages.
- **Paging.** Lists that grow are paged by an opaque, signed cursor (:func:`cursor_page`):
  keyset on the list's order, never OFFSET over a growing table.
- **Public reads.** Operations decorated with :func:`public_read` get a weak ``ETag`` (a
  matching ``If-None-Match`` gets 304) and ``Cache-Control: public``; the anonymous page cache
  may store and serve them like the public pages (``public_operation_names``). A request that
  carries a token is never stored in or served from it (``apps/core/pagecache.py``).

Core's own router serves the foundation's public reads (towns, the working-day calendar).
The OpenAPI document is at ``/api/v1/openapi.json``; ``/api/v1/docs`` shows it in Swagger UI,
whose scripts come from the pinned django-ninja package (``ninja`` is an installed app, so its
static files are served from our origin — never a CDN — and no inline script meets the CSP).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Any

from allauth.headless.contrib.ninja.security import x_session_token_auth
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader

from .models import Town

URL_NAMESPACE = "api-v1"
MAX_LIMIT = 100
# The names operations give their body and query schema parameters (left out of error fields).
SCHEMA_PARAMS = ("payload", "filters")


# --- The one error shape ------------------------------------------------------------------


class ErrorOut(Schema):
    """What every failed operation answers."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ApiError(HttpError):
    """An answer in the error shape with a code of its own (``raise ApiError(409, "already_…", msg)``)."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, message)
        self.code = code


def form_invalid(form) -> DjangoValidationError:
    """An invalid form as the ValidationError the error handler turns into the one error shape."""
    return DjangoValidationError(form.errors.as_data())


def _error(api: NinjaAPI, request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(request, {"code": code, "message": message, "fields": fields or {}}, status=status)


def _validation_error(api, request, exc: DjangoValidationError):
    """A service's (or a form's) ValidationError: field messages by field, the rest as the message."""
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    codes: list[str] = []
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            messages = [m for error in errors for m in error.messages]
            codes += [error.code for error in errors if error.code]
            if name in (None, "__all__"):
                general += messages
            else:
                fields[name] = messages
    else:
        general = exc.messages
        codes = [error.code for error in exc.error_list if error.code]
    message = " ".join(general) or next(iter(fields.values()), [""])[0] or _("提交的内容有误。")
    return _error(api, request, 422, codes[0] if codes else "invalid", message, fields)


def _schema_error(api, request, exc: NinjaValidationError):
    """Input that does not fit the operation's schema (a missing field, a word for a number)."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "town") -> "town": where the value was sent and the name of the
        # operation's schema parameter say nothing to the client.
        location = [str(part) for part in error.get("loc", ())[1:]]
        if len(location) > 1 and location[0] in SCHEMA_PARAMS:
            location = location[1:]
        location = location or ["__all__"]
        fields.setdefault(".".join(location), []).append(str(error.get("msg", "")))
    return _error(api, request, 422, "invalid", _("提交的内容有误。"), fields)


def _http_error(api, request, exc: HttpError):
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        429: "throttled",
    }
    code = getattr(exc, "code", None) or codes.get(exc.status_code, "error")
    return _error(api, request, exc.status_code, code, str(exc))


def _install_error_handlers(api: NinjaAPI) -> None:
    handlers = {
        DjangoValidationError: _validation_error,
        NinjaValidationError: _schema_error,
        Http404: lambda api, request, exc: _error(api, request, 404, "not_found", _("没有找到。")),
        PermissionDenied: lambda api, request, exc: _error(api, request, 403, "forbidden", _("您没有权限。")),
        AuthenticationError: lambda api, request, exc: _error(api, request, 401, "not_authenticated", _("请先登录。")),
        AuthorizationError: lambda api, request, exc: _error(api, request, 403, "forbidden", _("您没有权限。")),
        Throttled: lambda api, request, exc: _error(api, request, 429, "throttled", _("操作太频繁，请稍后再试。")),
        HttpError: _http_error,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, functools.partial(handler, api))


# --- Sign-in --------------------------------------------------------------------------------


class SessionTokenAuth(APIKeyHeader):
    """allauth's headless session token (``X-Session-Token``); the person becomes ``request.user``
    so that services and selectors see them exactly as a page does.

    An API-key header (rather than allauth's own ninja class) so that the OpenAPI document names
    the header, as the specification requires of an ``apiKey`` scheme; allauth checks the token.
    """

    param_name = "X-Session-Token"

    def authenticate(self, request, key):
        user = x_session_token_auth(request) if key else None
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


session_token = SessionTokenAuth()


# --- Cursor paging ---------------------------------------------------------------------------

_CURSOR_SALT = "api-cursor"


def _bad_cursor() -> DjangoValidationError:
    return DjangoValidationError(
        {"cursor": [DjangoValidationError(_("翻页标记无效，请从第一页重新开始。"), code="bad_cursor")]}
    )


def _value_of(obj, path: str):
    for part in path.split("__"):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


def _after(ordering: Sequence[str], values: list):
    """The keyset condition "comes after ``values`` in ``ordering``" as a Q."""
    from django.db.models import Q

    condition = Q()
    for i, term in enumerate(ordering):
        field = term.lstrip("-")
        step = Q(**{f"{field}__{'lt' if term.startswith('-') else 'gt'}": values[i]})
        for earlier, value in zip(ordering[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def cursor_page(
    qs, *, cursor: str | None, limit: int, ordering: Sequence[str] | None = None
) -> tuple[list, str | None]:
    """One page of ``qs`` and the cursor of the next (None on the last page).

    With ``ordering`` (non-null fields ending in a unique one, e.g. ``("-published_at", "-id")``)
    the page starts after the last row of the previous one, so rows added meanwhile neither
    repeat nor go missing and a deep page costs what the first does. Without it (a ranked
    search), the cursor holds an offset. Cursors are signed: a forged one is a 422.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    offset = 0
    if cursor:
        try:
            state = signing.loads(cursor, salt=_CURSOR_SALT)
        except signing.BadSignature:
            raise _bad_cursor() from None
        if not isinstance(state, dict):
            raise _bad_cursor()
        if ordering is not None and isinstance(state.get("k"), list) and len(state["k"]) == len(ordering):
            qs = qs.filter(_after(ordering, state["k"]))
        elif ordering is None and isinstance(state.get("o"), int) and state["o"] >= 0:
            offset = state["o"]
        else:
            raise _bad_cursor()
    if ordering is not None:
        qs = qs.order_by(*ordering)
    rows = list(qs[offset : offset + limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    if ordering is None:
        state = {"o": offset + limit}
    else:
        state = {"k": [_value_of(rows[-1], term.lstrip("-")) for term in ordering]}
    return rows, signing.dumps(state, salt=_CURSOR_SALT, serializer=_CursorSerializer)


def page_number(cursor: str | None) -> int:
    """The page a cursor from :func:`page_cursor` points at (1 without one), for the few
    selectors that page by number as their pages do; a forged cursor is a 422."""
    if not cursor:
        return 1
    try:
        state = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise _bad_cursor() from None
    if not isinstance(state, dict) or not isinstance(state.get("p"), int) or state["p"] < 1:
        raise _bad_cursor()
    return state["p"]


def page_cursor(number: int | None) -> str | None:
    """The opaque cursor of page ``number`` (None: there is no such page)."""
    return None if number is None else signing.dumps({"p": number}, salt=_CURSOR_SALT)


class _CursorSerializer:
    """JSON with dates, times and decimals (as Django writes them; lookups parse them back)."""

    def dumps(self, obj):
        import json

        return json.dumps(obj, cls=DjangoJSONEncoder, separators=(",", ":")).encode("latin-1")

    def loads(self, data):
        import json

        return json.loads(data.decode("latin-1"))


# --- Public reads: ETags and the page cache ------------------------------------------------


def public_read(view):
    """Mark an anonymous read: answered with a weak ETag and ``Cache-Control: public``, and
    stored by the anonymous page cache like a public page (see the module docstring).

    Only marks the function (a wrapper would hide the module whose names its annotations use).
    """
    view.api_public_read = True
    return view


@functools.cache
def public_operation_names() -> frozenset[str]:
    """URL names (``api-v1:…``) under which Django resolves the paths of every public read.

    Every operation of a path yields a URL pattern with the same route, so a request resolves
    to the first operation's name: that is the name to know, whichever method is public.
    """
    from .registry import api_routers

    names = set()
    for _label, app_router in api_routers():
        for path_view in app_router.path_operations.values():
            operations = path_view.operations
            if any(getattr(op.view_func, "api_public_read", False) for op in operations) and operations[0].url_name:
                names.add(f"{URL_NAMESPACE}:{operations[0].url_name}")
    return frozenset(names)


def _is_public_read(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return request.method in ("GET", "HEAD") and match is not None and match.view_name in public_operation_names()


class PortalAPI(NinjaAPI):
    """NinjaAPI whose public reads carry ETags and answer 304 to a matching If-None-Match, and
    whose OpenAPI document lists the error answers every operation can give."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _document_errors(schema)
        return schema

    def create_response(self, request, data: Any, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if _is_public_read(request):
            from .pagecache import PUBLIC_CACHE_CONTROL, _etag, _etag_matches, _has_private_cookie

            patch_vary_headers(response, ("Accept-Language",))
            if response.status_code == 200:
                etag = _etag(response.content)
                if _etag_matches(request, etag):
                    response = HttpResponseNotModified()
                response["ETag"] = etag
                # A request with credentials (or a session) is answered for that person only,
                # as the page cache treats it: no shared cache in between may keep it.
                private = _has_private_cookie(request)
                response["Cache-Control"] = "private, max-age=0" if private else PUBLIC_CACHE_CONTROL
        return response


def _document_errors(schema) -> None:
    """Input that does not fit the schema is a 422, a body that cannot be parsed a 400 and a
    signed-in operation without its token a 401 — on every operation, whether or not it declared
    them: say so in the document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    answer = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            # Ninja keys declared answers by int (401), JSON by text: one key per status, or the
            # document would carry "401" twice (a YAML/JSON parser like Swagger UI's refuses it).
            for status in [key for key in responses if not isinstance(key, str)]:
                responses[str(status)] = responses.pop(status)
            takes_input = operation.get("parameters") or operation.get("requestBody")
            if operation.get("requestBody") and "400" not in responses:
                # A body that is not JSON at all (bad bytes, cut off) cannot be parsed.
                responses["400"] = {"description": "Bad Request", **answer}
            if takes_input and "422" not in responses:
                responses["422"] = {"description": "Unprocessable Content", **answer}
            if operation.get("security") and "401" not in responses:
                responses["401"] = {"description": "Unauthorized", **answer}


# --- Core's own reads -------------------------------------------------------------------------


class TownOut(Schema):
    id: int
    name: str
    kind: str


class WorkingDayOut(Schema):
    day: datetime.date
    working: bool


router = Router(tags=["core"])


@router.get("/towns", response=list[TownOut], summary="乡镇/街道", url_name="core_towns")
@public_read
def towns(request):
    """Every town and street of the city, in the order the union lists them."""
    return list(Town.objects.order_by("sort_order", "name"))


@router.get(
    "/working-days", response={200: list[WorkingDayOut], 422: ErrorOut}, summary="工作日", url_name="core_working_days"
)
@public_read
def working_days(request, start: datetime.date, days: int = 14):
    """Whether each of ``days`` days from ``start`` is a working day (holidays and 调休 counted)."""
    from .workdays import is_working_day

    if not 1 <= days <= 366:
        raise DjangoValidationError({"days": [_("天数必须在 1 到 366 之间。")]}, code="out_of_range")
    return [
        {"day": start + datetime.timedelta(days=i), "working": is_working_day(start + datetime.timedelta(days=i))}
        for i in range(days)
    ]


def build_api() -> PortalAPI:
    """The API with every app's router mounted (called once, by the URLconf)."""
    from .registry import api_routers

    api = PortalAPI(
        title="Union Portal API",
        version="1",
        description=(
            "兴化市总工会职工服务门户的开放接口（手机 APP、微信小程序）。登录：django-allauth headless，"
            "`/_allauth/app/v1/`，之后在请求头带 `X-Session-Token`。错误统一为 `{code, message, fields}`。"
        ),
        urls_namespace=URL_NAMESPACE,
        docs_url="/docs",
    )
    _install_error_handlers(api)
    for label, app_router in api_routers():
        api.add_router(f"/{label}/", app_router)
    return api
