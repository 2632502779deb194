"""/api/v1/: one ninja API, each app's router mounted through the contract."""

import datetime

import pytest

from apps.core.models import CalendarDay, Town

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_the_mounted_routers(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and "/api/v1/core/towns" in schema["paths"]


def test_towns_are_listed_for_anonymous_clients(client):
    Town.objects.create(name="接口镇")
    body = client.get("/api/v1/core/towns").json()
    assert {"id", "name", "kind"} <= set(body[0]) and "接口镇" in [t["name"] for t in body]


def test_working_days_follow_the_calendar_and_refuse_a_bad_range(client):
    start = datetime.date.today() + datetime.timedelta(days=30)
    CalendarDay.objects.create(day=start, kind="holiday", name="节")
    body = client.get("/api/v1/core/working-days", {"start": start.isoformat(), "days": 2}).json()
    assert body[0] == {"day": start.isoformat(), "working": False}
    assert client.get("/api/v1/core/working-days", {"start": start.isoformat(), "days": 999}).status_code == 422
    assert client.get("/api/v1/core/working-days", {"start": "2024-02-30"}).status_code == 422
