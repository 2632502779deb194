"""Signing in for API clients: allauth headless (app client) hands out session tokens, with the
mobile number + SMS code flow and the rate limits the site already has."""

import pytest

from apps.accounts.sms import ConsoleSmsBackend
from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AUTH = "/_allauth/app/v1/auth"


def _json(client, path, data, **extra):
    return client.post(path, data, content_type="application/json", **extra)


def _last_code(phone: str) -> str:
    return next(m["code"] for m in reversed(ConsoleSmsBackend.outbox) if m["phone"] == phone)


def sms_sign_in(client, phone: str) -> str:
    """The mini-program's sign-in: ask for a code, confirm it, keep the session token."""
    asked = _json(client, f"{AUTH}/code/request", {"phone": phone})
    assert asked.status_code == 401, asked.content  # a flow is pending: the code was sent
    token = asked.json()["meta"]["session_token"]
    code = _last_code(phone.replace(" ", ""))
    confirmed = _json(client, f"{AUTH}/code/confirm", {"code": code}, HTTP_X_SESSION_TOKEN=token)
    assert confirmed.status_code == 200, confirmed.content
    return confirmed.json()["meta"]["session_token"]


def test_a_worker_signs_in_with_an_sms_code_and_the_token_opens_their_profile(client):
    UserFactory(phone="13800138000", phone_verified=True, real_name="王师傅")
    token = sms_sign_in(client, "138 0013 8000")
    profile = client.get("/api/v1/accounts/me", HTTP_X_SESSION_TOKEN=token).json()
    assert profile["real_name"] == "王师傅" and profile["phone"] == "13800138000"


def test_a_wrong_code_gives_no_token(client):
    UserFactory(phone="13800138001", phone_verified=True)
    asked = _json(client, f"{AUTH}/code/request", {"phone": "13800138001"})
    token = asked.json()["meta"]["session_token"]
    wrong = "000000" if _last_code("13800138001") != "000000" else "111111"
    response = _json(client, f"{AUTH}/code/confirm", {"code": wrong}, HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 400
    assert client.get("/api/v1/accounts/me", HTTP_X_SESSION_TOKEN=token).status_code == 401


def test_an_unknown_number_is_texted_nothing(client):
    before = len(ConsoleSmsBackend.outbox)
    _json(client, f"{AUTH}/code/request", {"phone": "13900000000"})
    assert len(ConsoleSmsBackend.outbox) == before


def test_codes_are_rate_limited_per_number_as_on_the_page(client):
    UserFactory(phone="13800138002", phone_verified=True)
    assert _json(client, f"{AUTH}/code/request", {"phone": "13800138002"}).status_code == 401
    again = _json(client, f"{AUTH}/code/request", {"phone": "13800138002"})
    assert again.status_code == 400  # allauth's form error: 1/min per number
    assert "phone" in str(again.json()["errors"])


def test_a_number_typed_as_people_write_it_is_the_same_number_and_a_bad_one_is_refused(client):
    response = _json(client, f"{AUTH}/code/request", {"phone": "12345"})
    assert response.status_code == 400
    assert "请输入 11 位手机号码。" in str(response.json()["errors"])


def test_password_sign_in_gives_a_token_and_sign_out_ends_it(client):
    from tests.api.conftest import session_token_for

    user = UserFactory()
    token = session_token_for(client, user)
    assert client.get("/api/v1/accounts/me", HTTP_X_SESSION_TOKEN=token).status_code == 200
    client.delete(f"{AUTH}/session", HTTP_X_SESSION_TOKEN=token)
    assert client.get("/api/v1/accounts/me", HTTP_X_SESSION_TOKEN=token).status_code == 401


def test_an_unknown_token_is_401_in_the_error_shape(client):
    response = client.get("/api/v1/accounts/me", HTTP_X_SESSION_TOKEN="nope")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录。", "fields": {}}
