"""WeChat sign-in against a fake WeChat API on loopback: the mini-program binds an openid only
after the person proves their mobile number; the 公众号's silent authorisation binds the
signed-in account; a client-sent openid is never trusted; the session key never leaves."""

import urllib.parse

import pytest
from django.core.cache import cache
from django.test import Client

from apps.accounts.sms import ConsoleSmsBackend
from apps.accounts.tests.factories import PASSWORD, UserFactory
from apps.accounts.wechat_models import WeChatBinding
from apps.reminders.tests.fake_providers import FakeProviders

pytestmark = pytest.mark.django_db
LOGIN, BIND, ME = "/api/v1/accounts/wechat/mini/login", "/api/v1/accounts/wechat/mini/bind", "/api/v1/accounts/me"


@pytest.fixture
def fake(settings):
    providers = FakeProviders().start()
    settings.WECHAT_API_BASE = settings.WECHAT_OPEN_BASE = providers.url
    settings.WECHAT_MP_APP_ID, settings.WECHAT_MP_APP_SECRET = "wx-mp-test", "mp-secret"
    settings.WECHAT_MINI_APP_ID, settings.WECHAT_MINI_APP_SECRET = "wx-mini-test", "mini-secret"
    cache.clear()
    yield providers
    providers.stop()


def post(client, path, body, token=None):
    extra = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    return client.post(path, body, content_type="application/json", **extra)


def sms_sign_in(client, phone) -> str:
    """allauth headless: request a code for the number, confirm it; the session token."""
    response = post(client, "/_allauth/app/v1/auth/code/request", {"phone": phone})
    assert response.status_code == 401, response.content
    pending = response.json()["meta"]["session_token"]
    code = next(m["code"] for m in reversed(ConsoleSmsBackend.outbox) if m["phone"] == phone)
    response = post(client, "/_allauth/app/v1/auth/code/confirm", {"code": code}, token=pending)
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def test_a_mini_program_login_binds_the_openid_only_after_the_phone_is_proven(fake):
    worker = UserFactory(phone="13912340001", phone_verified=True)
    unproven = UserFactory(phone="13912340002", phone_verified=False)
    app = Client()
    fake.openid_of_code["code-1"] = "mini-openid-1"

    first = post(app, LOGIN, {"code": "code-1", "openid": "someone-elses-openid"})
    assert first.status_code == 200
    answer = first.json()
    assert answer["bound"] is False and answer["ticket"] and answer["session_token"] is None
    assert "SESSION-KEY-SECRET" not in first.content.decode() and "mini-openid-1" not in first.content.decode()
    assert [r["query"]["js_code"] for r in fake.requests if r["path"] == "/sns/jscode2session"] == ["code-1"]
    assert not WeChatBinding.objects.exists()

    # Without a token: 401; with the token of an account whose number is not proven: 403.
    assert post(app, BIND, {"ticket": answer["ticket"]}).status_code == 401
    password_token = post(
        Client(), "/_allauth/app/v1/auth/login", {"username": unproven.username, "password": PASSWORD}
    )
    token = password_token.json()["meta"]["session_token"]
    refused = post(app, BIND, {"ticket": answer["ticket"]}, token=token)
    assert refused.status_code == 403 and refused.json()["code"] == "phone_unverified"
    assert not WeChatBinding.objects.exists()

    # Proven by an SMS code: the ticket binds the openid WeChat named (not the one the client sent).
    token = sms_sign_in(app, "13912340001")
    bound = post(app, BIND, {"ticket": answer["ticket"]}, token=token)
    assert bound.status_code == 200 and bound.json() == {"bound": True, "phone": "13912340001"}
    binding = WeChatBinding.objects.get()
    assert (binding.user, binding.app, binding.openid, binding.subscribed) == (worker, "mini", "mini-openid-1", True)
    again = post(app, BIND, {"ticket": answer["ticket"]}, token=token)
    assert again.status_code == 422 and again.json()["code"] == "ticket_invalid"  # a ticket is good once

    # Next time wx.login() signs the worker straight in.
    fake.openid_of_code["code-2"] = "mini-openid-1"
    later = post(Client(), LOGIN, {"code": "code-2"}).json()
    assert later["bound"] is True and later["ticket"] is None
    me = Client().get(ME, HTTP_X_SESSION_TOKEN=later["session_token"])
    assert me.status_code == 200 and me.json()["id"] == worker.pk


def test_a_code_wechat_does_not_know_signs_nobody_in(fake):
    response = post(Client(), LOGIN, {"code": "made-up", "openid": "o-victim"})
    assert response.status_code == 422 and response.json()["code"] == "wechat_failed"


def test_without_mini_program_credentials_the_login_says_so(settings):
    settings.WECHAT_MINI_APP_ID = ""
    response = post(Client(), LOGIN, {"code": "x"})
    assert response.status_code == 422 and response.json()["code"] == "wechat_unavailable"


def test_the_official_accounts_silent_authorisation_binds_the_signed_in_account(fake, client):
    worker = UserFactory()
    client.force_login(worker)
    start = client.get("/me/wechat/bind/")
    assert start.status_code == 302
    target = urllib.parse.urlsplit(start["Location"])
    query = dict(urllib.parse.parse_qsl(target.query))
    assert target.path == "/connect/oauth2/authorize" and query["scope"] == "snsapi_base"
    assert query["appid"] == "wx-mp-test" and query["redirect_uri"].endswith("/me/wechat/callback/")

    fake.openid_of_code["web-code"] = "mp-openid-1"
    forged = client.get("/me/wechat/callback/", {"code": "web-code", "state": "forged"})
    assert forged.status_code == 302 and not WeChatBinding.objects.exists()

    client.get("/me/wechat/bind/")
    state = client.session["wechat_oauth_state"]
    done = client.get("/me/wechat/callback/", {"code": "web-code", "state": state})
    assert done.status_code == 302 and done["Location"] == "/me/notifications/settings/"
    binding = WeChatBinding.objects.get()
    assert (binding.user, binding.app, binding.openid, binding.subscribed) == (worker, "mp", "mp-openid-1", True)
    page = client.get("/me/notifications/settings/").content.decode()
    assert 'data-testid="channel-wechat"' in page


def test_binding_an_openid_to_another_account_moves_it(fake):
    from apps.accounts.wechat_services import wechat_bind

    old, new = UserFactory(), UserFactory()
    wechat_bind(user=old, app="mp", openid="o-1", subscribed=True)
    wechat_bind(user=new, app="mp", openid="o-1", subscribed=True)
    assert list(WeChatBinding.objects.values_list("user_id", flat=True)) == [new.pk]


def test_closing_the_account_unbinds_wechat_and_the_export_shows_the_binding(client):
    from apps.accounts.services import account_close

    user = UserFactory()
    WeChatBinding.objects.create(user=user, app="mp", openid="o-close", subscribed=True)
    client.force_login(user)
    exported = client.get("/me/data/", {"download": "1"}).content.decode()
    assert "o-close" in exported
    account_close(user=user)
    assert not WeChatBinding.objects.exists()
