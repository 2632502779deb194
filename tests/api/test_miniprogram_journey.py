"""A worker's journey as the WeChat mini-program makes it, through a small httpx client that
knows only the documented API (paths, X-Session-Token, the error shape) and talks to the
in-process WSGI app: sign in with an SMS code, follow an item, hear of its news, read it."""

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from apps.accounts.sms import ConsoleSmsBackend
from apps.accounts.tests.factories import UserFactory
from apps.tenthings import services as tenthings_services
from apps.tenthings.models import ProgressReport
from apps.tenthings.tests.factories import ItemFactory, PlanFactory, ReportFactory

pytestmark = pytest.mark.django_db


class ApiError(Exception):
    """An answer in the API's error shape."""

    def __init__(self, status: int, body: dict):
        super().__init__(f"{status} {body.get('code')}: {body.get('message')}")
        self.status, self.code, self.fields = status, body.get("code"), body.get("fields", {})


class MiniProgramClient:
    """What the mini-program's request helper does: JSON in and out, the token in a header."""

    def __init__(self, transport: httpx.BaseTransport):
        self.http = httpx.Client(transport=transport, base_url="http://testserver")
        self.token: str | None = None

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"X-Session-Token": self.token} if self.token else {}
        return self.http.request(method, path, headers=headers, **kwargs)

    def call(self, method: str, path: str, **kwargs):
        response = self._send(method, f"/api/v1{path}", **kwargs)
        if response.status_code >= 400:
            raise ApiError(response.status_code, response.json())
        return response.json()

    # Sign-in: allauth headless, the "app" client.
    def request_sms_code(self, phone: str) -> None:
        response = self._send("POST", "/_allauth/app/v1/auth/code/request", json={"phone": phone})
        assert response.status_code == 401  # a sign-in flow is pending: the code was texted
        self.token = response.json()["meta"]["session_token"]

    def confirm_sms_code(self, code: str) -> None:
        response = self._send("POST", "/_allauth/app/v1/auth/code/confirm", json={"code": code})
        response.raise_for_status()
        self.token = response.json()["meta"]["session_token"]

    def sign_out(self) -> None:
        self._send("DELETE", "/_allauth/app/v1/auth/session")
        self.token = None


@pytest.fixture
def app():
    from django.core.wsgi import get_wsgi_application

    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield MiniProgramClient(httpx.WSGITransport(app=get_wsgi_application()))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_sms_sign_in_follow_an_item_hear_of_its_news_and_read_it(app, django_capture_on_commit_callbacks):
    worker = UserFactory(phone="13912345678", phone_verified=True, real_name="陈师傅")
    year = timezone.localdate().year
    item = ItemFactory(plan=PlanFactory(year=year), number=2, title="户外劳动者驿站提档升级")

    # Not signed in: a worker's own pages are closed, in the error shape.
    with pytest.raises(ApiError) as refused:
        app.call("GET", "/reminders/notifications")
    assert refused.value.status == 401 and refused.value.code == "not_authenticated"

    app.request_sms_code("139 1234 5678")
    code = next(m["code"] for m in reversed(ConsoleSmsBackend.outbox) if m["phone"] == "13912345678")
    app.confirm_sms_code(code)
    assert app.call("GET", "/accounts/me")["real_name"] == "陈师傅"

    assert app.call("PUT", f"/tenthings/years/{year}/items/2/follow", json={"follow": True})["following"]

    # Staff verify a report on the item: the followers are told (after the commit).
    with django_capture_on_commit_callbacks(execute=True):
        report = ReportFactory(indicator__item=item, status=ProgressReport.Status.SUBMITTED, narrative="新增驿站 5 座")
        tenthings_services.report_verify(report=report, reviewer=UserFactory(is_staff=True))

    inbox = app.call("GET", "/reminders/notifications", params={"unread": "true"})
    assert inbox["unread"] == 1
    [news] = inbox["items"]
    assert "户外劳动者驿站提档升级" in news["title"] and "新增驿站 5 座" in news["body"]

    assert app.call("POST", f"/reminders/notifications/{news['id']}/read")["read_at"]
    assert app.call("GET", "/reminders/notifications", params={"unread": "true"})["unread"] == 0

    app.sign_out()
    with pytest.raises(ApiError):
        app.call("GET", "/accounts/me")
    assert worker.notifications.filter(read_at__isnull=False).count() == 1
