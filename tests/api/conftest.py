"""Fixtures of the API tests: workers signed in through allauth's headless app client."""

import pytest

from apps.accounts.tests.factories import PASSWORD, UserFactory

LOGIN = "/_allauth/app/v1/auth/login"


def session_token_for(client, user) -> str:
    """Sign ``user`` in with their password through allauth headless; the session token it gives."""
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


class TokenClient:
    """Django's test client sending one person's session token on every request."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _call(self, method: str, path: str, data=None, **extra):
        extra.setdefault("HTTP_X_SESSION_TOKEN", self.token)
        if method == "get":
            return self.client.get(path, data, **extra)
        return getattr(self.client, method)(path, data, content_type="application/json", **extra)

    def get(self, path, data=None, **extra):
        return self._call("get", path, data, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data or {}, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data or {}, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data or {}, **extra)


@pytest.fixture
def worker(db):
    return UserFactory(real_name="张师傅")


@pytest.fixture
def stranger(db):
    return UserFactory(real_name="李师傅")


@pytest.fixture
def api_as(client):
    """``api_as(user)``: a client carrying that person's session token (and no cookie)."""
    from django.test import Client

    def make(user) -> TokenClient:
        token = session_token_for(Client(), user)
        return TokenClient(client, token)

    return make
