"""The 公众号's silent web authorisation (``snsapi_base``): inside WeChat, a signed-in person
opens ``/me/wechat/bind/``, WeChat sends them straight back with a code, and the server
exchanges it for the openid and binds it to their account (no prompt, no client-sent openid)."""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import wechat
from .wechat_services import wechat_bind

logger = logging.getLogger(__name__)
STATE_KEY = "wechat_oauth_state"


@login_required
def bind_start(request):
    if not (settings.WECHAT_MP_APP_ID and settings.WECHAT_MP_APP_SECRET):
        messages.info(request, _("本站暂未开通微信公众号提醒，请使用短信或邮件。"))
        return redirect("reminders:preferences")
    state = secrets.token_urlsafe(16)
    request.session[STATE_KEY] = state
    callback = request.build_absolute_uri(reverse("accounts:wechat_callback"))
    return redirect(wechat.oauth_authorize_url(callback, state))


@login_required
def bind_callback(request):
    state = request.session.pop(STATE_KEY, None)
    code = request.GET.get("code", "")
    if not state or not code or not secrets.compare_digest(state, request.GET.get("state", "")):
        messages.error(request, _("微信授权已失效，请重新绑定。"))
        return redirect("reminders:preferences")
    try:
        identity = wechat.oauth_openid(code)
    except wechat.WeChatError as exc:
        logger.warning("wechat: web authorisation failed: %s", exc)
        messages.error(request, _("微信暂时无法完成绑定，请稍后再试。"))
        return redirect("reminders:preferences")
    try:
        subscribed = wechat.follows(identity["openid"])
    except wechat.WeChatError as exc:
        logger.warning("wechat: could not tell whether %s follows: %s", identity["openid"], exc)
        subscribed = False
    wechat_bind(user=request.user, app=wechat.MP, subscribed=subscribed, **identity)
    if subscribed:
        messages.success(request, _("微信已绑定，提醒将优先发到微信。"))
    else:
        messages.success(request, _("微信已绑定。关注本站公众号后即可在微信收到提醒。"))
    return redirect("reminders:preferences")
