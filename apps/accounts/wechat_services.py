"""Binding WeChat identities to accounts, and the mini-program's sign-in.

The openid always comes from WeChat's answer to a server-side code exchange, never from the
client. The mini-program binds an openid only to an account whose mobile number is proven (an
SMS code, through allauth's headless phone sign-in); until then the server holds the exchanged
openid under an opaque, short-lived ticket in the cache.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import login
from django.core.cache import cache
from django.db import transaction

from . import wechat
from .wechat_models import WeChatBinding

TICKET_SECONDS = 600


@transaction.atomic
def wechat_bind(*, user, app: str, openid: str, unionid: str = "", subscribed: bool) -> WeChatBinding:
    """Bind ``openid`` of ``app`` to ``user`` (moving it from any other account that had it)."""
    WeChatBinding.objects.filter(app=app, openid=openid).exclude(user=user).delete()
    binding, _created = WeChatBinding.objects.update_or_create(
        user=user, app=app, defaults={"openid": openid, "unionid": unionid, "subscribed": subscribed}
    )
    return binding


def user_for_openid(app: str, openid: str):
    binding = WeChatBinding.objects.select_related("user").filter(app=app, openid=openid, user__is_active=True).first()
    return binding.user if binding else None


def mini_ticket_issue(identity: dict) -> str:
    ticket = secrets.token_urlsafe(24)
    cache.set(f"wechat:mini-ticket:{ticket}", identity, TICKET_SECONDS)
    return ticket


def mini_ticket_take(ticket: str) -> dict | None:
    key = f"wechat:mini-ticket:{ticket}"
    identity = cache.get(key)
    if identity is not None:
        cache.delete(key)
    return identity


def mini_login(*, code: str) -> dict:
    """``wx.login()``'s code → a session token for the bound account, or a ticket to bind with
    after the person proves their mobile number. Raises ``wechat.WeChatError``."""
    identity = wechat.code2session(code)
    user = user_for_openid(wechat.MINI, identity["openid"])
    if user is None:
        return {"bound": False, "ticket": mini_ticket_issue(identity)}
    return {"bound": True, "user": user}


def session_token_for(request, user) -> str:
    """A new allauth headless session (token) signed in as ``user``; the request's own session is
    left as it was (no cookie is set for the new one)."""
    from allauth.headless.internal import sessionkit

    own = request.session
    try:
        request.session = sessionkit.new_session()
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        request.session.save()
        return request.session.session_key
    finally:
        request.session = own
