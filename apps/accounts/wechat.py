"""A small WeChat client: the 公众号 (official account) and the mini-program.

- ``access_token(app)``: the app's access token, shared by every worker through the cache
  (Redis in production) and refreshed by one worker at a time under a cache lock; the others
  wait for it instead of each asking WeChat (every refresh invalidates the previous token).
- ``oauth_openid(code)``: the 公众号's silent web authorisation (``snsapi_base``) code → openid.
- ``code2session(code)``: the mini-program's ``wx.login()`` code → openid (the session key is
  dropped here: it never leaves the server and is not kept).
- ``follows(openid)``: does this person follow the 公众号 (a live subscription for notices)?
- ``send_template`` / ``send_subscribe``: a 公众号 template message, a mini-program 订阅消息.

Every call goes to ``settings.WECHAT_API_BASE`` (tests point it at a fake on loopback). Errors
say whether WeChat definitely did not act (:class:`WeChatRefused`: an ``errcode`` answer, a
connection refused, an HTTP error status) or the outcome is unknown (:class:`WeChatUnknown`: a
timeout or a broken answer after the request went out), so a sender never repeats a message
that may have gone.
"""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

MP, MINI = "mp", "mini"
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid or expired access token: refresh and ask again
LOCK_SECONDS = 30


class WeChatError(Exception):
    def __init__(self, message: str, errcode: int | None = None):
        super().__init__(message)
        self.errcode = errcode


class WeChatRefused(WeChatError):
    """WeChat answered and did not do it (or could not be reached at all): nothing was sent."""


class WeChatUnknown(WeChatError):
    """The request went out and no usable answer came back: it may or may not have been done."""


def credentials(app: str) -> tuple[str, str]:
    if app == MP:
        app_id, secret = settings.WECHAT_MP_APP_ID, settings.WECHAT_MP_APP_SECRET
        names = "WECHAT_MP_APP_ID / WECHAT_MP_APP_SECRET"
    else:
        app_id, secret = settings.WECHAT_MINI_APP_ID, settings.WECHAT_MINI_APP_SECRET
        names = "WECHAT_MINI_APP_ID / WECHAT_MINI_APP_SECRET"
    if not app_id or not secret:
        raise ImproperlyConfigured(f"WeChat {app} needs {names}")
    return app_id, secret


def _call(path: str, *, query: dict | None = None, body: dict | None = None) -> dict:
    url = settings.WECHAT_API_BASE.rstrip("/") + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if data is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=settings.WECHAT_TIMEOUT) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise WeChatRefused(f"HTTP {exc.code}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionRefusedError | socket.gaierror):
            raise WeChatRefused(f"unreachable: {exc.reason}") from exc
        raise WeChatUnknown(f"no answer: {exc.reason}") from exc
    except (TimeoutError, ConnectionError, OSError) as exc:
        raise WeChatUnknown(f"no answer: {exc.__class__.__name__}: {exc}") from exc
    try:
        answer = json.loads(raw.decode())
    except ValueError as exc:
        raise WeChatUnknown("an answer that is not JSON") from exc
    errcode = answer.get("errcode") or 0
    if errcode:
        raise WeChatRefused(f"errcode {errcode}: {answer.get('errmsg', '')}", errcode)
    return answer


def _token_key(app: str) -> str:
    return f"wechat:access-token:{credentials(app)[0]}"


def access_token(app: str, *, stale: str | None = None) -> str:
    """The app's access token from the shared cache; one worker refreshes it, the rest wait.

    ``stale``: a token WeChat just called invalid; it is replaced unless another worker already did.
    """
    key = _token_key(app)
    token = cache.get(key)
    if token and token != stale:
        return token
    lock = f"{key}:lock"
    deadline = time.monotonic() + LOCK_SECONDS
    while not cache.add(lock, "1", LOCK_SECONDS):
        time.sleep(0.05)
        token = cache.get(key)
        if token and token != stale:
            return token
        if time.monotonic() > deadline:
            raise WeChatRefused("access token refresh is stuck in another worker")
    try:
        token = cache.get(key)
        if token and token != stale:
            return token
        app_id, secret = credentials(app)
        answer = _call("/cgi-bin/token", query={"grant_type": "client_credential", "appid": app_id, "secret": secret})
        token = answer["access_token"]
        # Keep it a little less than WeChat does (7,200 s), so no one uses an expired token.
        cache.set(key, token, max(60, int(answer.get("expires_in", 7200)) - 300))
        return token
    finally:
        cache.delete(lock)


def _with_token(app: str, path: str, *, query: dict | None = None, body: dict | None = None) -> dict:
    token = access_token(app)
    try:
        return _call(path, query={"access_token": token, **(query or {})}, body=body)
    except WeChatRefused as exc:
        if exc.errcode not in TOKEN_ERRORS:
            raise
        # WeChat did not act on an invalid token: safe to ask once more with a fresh one.
        return _call(path, query={"access_token": access_token(app, stale=token), **(query or {})}, body=body)


def oauth_authorize_url(redirect_uri: str, state: str) -> str:
    """Where the 公众号's silent authorisation starts (``snsapi_base``: no prompt to the person)."""
    app_id, _secret = credentials(MP)
    query = urllib.parse.urlencode(
        {"appid": app_id, "redirect_uri": redirect_uri, "response_type": "code", "scope": "snsapi_base", "state": state}
    )
    return f"{settings.WECHAT_OPEN_BASE.rstrip('/')}/connect/oauth2/authorize?{query}#wechat_redirect"


def oauth_openid(code: str) -> dict:
    """The 公众号 web authorisation code → ``{"openid", "unionid"}``."""
    app_id, secret = credentials(MP)
    answer = _call(
        "/sns/oauth2/access_token",
        query={"appid": app_id, "secret": secret, "code": code, "grant_type": "authorization_code"},
    )
    return {"openid": answer["openid"], "unionid": answer.get("unionid", "")}


def code2session(code: str) -> dict:
    """The mini-program's ``wx.login()`` code → ``{"openid", "unionid"}``; the session key stays here."""
    app_id, secret = credentials(MINI)
    answer = _call(
        "/sns/jscode2session",
        query={"appid": app_id, "secret": secret, "js_code": code, "grant_type": "authorization_code"},
    )
    answer.pop("session_key", None)  # never returned, never stored
    return {"openid": answer["openid"], "unionid": answer.get("unionid", "")}


def follows(openid: str) -> bool:
    """Does the person follow the 公众号 (so template messages reach them)?"""
    return _with_token(MP, "/cgi-bin/user/info", query={"openid": openid, "lang": "zh_CN"}).get("subscribe") == 1


def send_template(openid: str, template_id: str, data: dict[str, str], url: str) -> str:
    """A 公众号 template message; returns WeChat's message id."""
    body = {
        "touser": openid,
        "template_id": template_id,
        "url": url,
        "data": {k: {"value": v} for k, v in data.items()},
    }
    return str(_with_token(MP, "/cgi-bin/message/template/send", body=body).get("msgid", ""))


def send_subscribe(openid: str, template_id: str, data: dict[str, str], page: str) -> str:
    """A mini-program 订阅消息 (the person accepted it in the mini-program)."""
    body = {
        "touser": openid,
        "template_id": template_id,
        "page": page,
        "data": {k: {"value": v} for k, v in data.items()},
    }
    return str(_with_token(MINI, "/cgi-bin/message/subscribe/send", body=body).get("msgid", ""))
