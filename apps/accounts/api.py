"""A worker's own account through ``/api/v1/accounts/``: read and change the profile through the
same form as ``/me/profile/``. Signing in is allauth's headless mode (``/_allauth/app/v1/``):
a mobile number and SMS code, or a password, give a session token sent as ``X-Session-Token``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from ninja import Router, Schema

from apps.core.api import ERRORS, ApiError, form_invalid, session_token

from .forms import ProfileForm

router = Router(tags=["accounts"], auth=session_token)

# What the API lets a worker change: the profile form's fields less the photo (a page upload).
# The mobile number is not among them: it changes only through its SMS proof (allauth headless,
# ``/_allauth/app/v1/account/phone``), as on the page.
PROFILE_FIELDS = tuple(name for name in ProfileForm._meta.fields if name != "avatar")


class ProfileOut(Schema):
    id: int
    username: str
    display_name: str
    real_name: str
    email: str
    phone: str
    phone_verified: bool
    town: int | None
    town_name: str
    employer: int | None
    employer_name: str
    sex: str
    birth_date: datetime.date | None
    occupation: str


class ProfileIn(Schema):
    """Only the fields sent are changed."""

    real_name: str | None = None
    town: int | None = None
    employer: int | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None
    occupation: str | None = None


def _profile(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "real_name": user.real_name,
        "email": user.email,
        "phone": user.phone,
        "phone_verified": user.phone_verified,
        "town": user.town_id,
        "town_name": user.town.name if user.town_id else "",
        "employer": user.employer_id,
        "employer_name": str(user.employer) if user.employer_id else "",
        "sex": user.sex,
        "birth_date": user.birth_date,
        "occupation": user.occupation,
    }


@router.get("/me", response={200: ProfileOut, 401: ERRORS[401]}, summary="我的资料", url_name="accounts_me")
def me(request):
    """The signed-in worker's profile."""
    return _profile(request.user)


@router.patch(
    "/me",
    response={200: ProfileOut, 401: ERRORS[401], 422: ERRORS[422]},
    summary="修改资料",
    url_name="accounts_me_update",
)
def me_update(request, payload: ProfileIn):
    """Change the profile (the page's form and messages)."""
    user = request.user
    data = {name: value for name, value in model_to_dict(user, fields=PROFILE_FIELDS).items() if value is not None}
    data.update({name: ("" if value is None else value) for name, value in payload.dict(exclude_unset=True).items()})
    form = ProfileForm(data, instance=user)
    for name in set(form.fields) - set(PROFILE_FIELDS):
        del form.fields[name]
    if not form.is_valid():
        raise form_invalid(form)
    form.save()
    return _profile(user)


# --- WeChat mini-program sign-in ------------------------------------------------------------
# The mini-program posts wx.login()'s code; the server exchanges it (code2session) for the
# openid. A bound account gets a session token; otherwise a ticket, which the person redeems
# after proving their mobile number (SMS sign-in through /_allauth/app/v1/, then bind). A
# client-sent openid is never read, and the session key never leaves the server.


class MiniLoginIn(Schema):
    code: str


class MiniLoginOut(Schema):
    bound: bool
    session_token: str | None = None
    ticket: str | None = None


class MiniBindIn(Schema):
    ticket: str
    subscribe_accepted: bool = True  # the person accepted the 订阅消息 in the mini-program


class MiniBindOut(Schema):
    bound: bool
    phone: str


@router.post(
    "/wechat/mini/login",
    auth=None,
    response={200: MiniLoginOut, 422: ERRORS[422]},
    summary="小程序微信登录",
    url_name="accounts_wechat_mini_login",
)
def wechat_mini_login(request, payload: MiniLoginIn):
    """Exchange ``wx.login()``'s code; a bound account gets a session token (``X-Session-Token``),
    otherwise a ticket to bind after signing in with the mobile number and its SMS code."""
    from . import wechat
    from .wechat_services import mini_login, session_token_for

    if not (settings.WECHAT_MINI_APP_ID and settings.WECHAT_MINI_APP_SECRET):
        raise ApiError(422, "wechat_unavailable", _("本站暂未开通小程序微信登录，请使用手机号码登录。"))
    try:
        result = mini_login(code=payload.code)
    except wechat.WeChatError as exc:
        raise ApiError(422, "wechat_failed", _("微信登录失败，请重新打开小程序。")) from exc
    if not result["bound"]:
        return {"bound": False, "ticket": result["ticket"]}
    return {"bound": True, "session_token": session_token_for(request, result["user"])}


@router.post(
    "/wechat/mini/bind",
    response={200: MiniBindOut, 401: ERRORS[401], 403: ERRORS[403], 422: ERRORS[422]},
    summary="绑定小程序微信",
    url_name="accounts_wechat_mini_bind",
)
def wechat_mini_bind(request, payload: MiniBindIn):
    """Bind the openid behind a login ticket to the signed-in account, once its mobile number is proven."""
    from . import wechat
    from .wechat_services import mini_ticket_take, wechat_bind

    user = request.user
    if not (settings.WECHAT_MINI_APP_ID and settings.WECHAT_MINI_APP_SECRET):
        raise ApiError(422, "wechat_unavailable", _("本站暂未开通小程序微信登录，请使用手机号码登录。"))
    if not (user.phone and user.phone_verified):
        raise ApiError(403, "phone_unverified", _("请先用手机号码和短信验证码登录，再绑定微信。"))
    identity = mini_ticket_take(payload.ticket)
    if identity is None:
        raise ApiError(422, "ticket_invalid", _("微信登录已过期，请重新打开小程序。"))
    wechat_bind(user=user, app=wechat.MINI, subscribed=payload.subscribe_accepted, **identity)
    return {"bound": True, "phone": user.phone}
