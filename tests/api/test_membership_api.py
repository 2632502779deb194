"""/api/v1/membership/: one's membership and application, applying through the join form and
service (with its refusals in the one error shape) and the card with its signed 24-hour token."""

import datetime

import pytest
from django.utils import timezone

from apps.accounts.models import Occupation
from apps.core.models import Organization
from apps.membership import services
from apps.membership.models import Application, Member
from apps.membership.tests.factories import TownFactory, UnionFactory, WorkerFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/membership"


@pytest.fixture
def town(db):
    UnionFactory(name="兴化市总工会", union_level=Organization.UnionLevel.CITY)
    return TownFactory(name="张郭镇")


@pytest.fixture
def proven(db):
    return WorkerFactory(real_name="刘小明")


def _apply(where, **extra):
    return {
        "real_name": "刘小明",
        "occupation": Occupation.FACTORY,
        "town": where.pk,
        "employer_name": "某网点",
        "consent": True,
        **extra,
    }


def test_a_worker_with_nothing_yet_has_no_membership_and_no_application(api_as, proven):
    assert api_as(proven).get(f"{BASE}/me").json() == {"member": None, "application": None}


def test_apply_then_read_the_open_application_back(api_as, proven, town):
    me = api_as(proven)
    response = me.post(f"{BASE}/applications", _apply(town))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["union"] == "兴化市总工会" and body["open"] is True and body["route_reason"]
    assert Application.objects.get(person=proven).pk == body["id"]
    state = me.get(f"{BASE}/me").json()
    assert state["member"] is None and state["application"]["id"] == body["id"]


def test_a_second_open_application_is_refused_with_the_services_message(api_as, proven, town):
    me = api_as(proven)
    me.post(f"{BASE}/applications", _apply(town))
    again = me.post(f"{BASE}/applications", _apply(town))
    assert again.status_code == 422
    assert again.json()["message"] == "您已有一份入会申请正在办理中，请等待结果，无需重复提交。"
    assert Application.objects.filter(person=proven).count() == 1


def test_an_unproven_phone_is_refused_with_the_services_message(api_as, worker, town):
    assert not worker.phone_verified
    response = api_as(worker).post(f"{BASE}/applications", _apply(town))
    assert response.status_code == 422
    assert response.json()["message"] == "请先在“我的”中验证手机号码，再申请入会。"
    assert not Application.objects.exists()


def test_the_forms_and_services_field_errors_come_by_field(api_as, proven, town):
    me = api_as(proven)
    no_town = me.post(f"{BASE}/applications", _apply(town, town=town.pk + 999))
    assert no_town.status_code == 422 and "town" in no_town.json()["fields"]
    no_consent = me.post(f"{BASE}/applications", _apply(town, consent=False))
    assert no_consent.status_code == 422
    assert no_consent.json()["fields"]["consent"] == ["请阅读并同意入会告知后再提交。"]


def test_the_card_carries_the_signed_token_the_card_page_draws(api_as, proven, town):
    union = Organization.objects.get(name="兴化市总工会")
    since = timezone.localdate() - datetime.timedelta(days=30)
    member = Member.objects.create(person=proven, real_name="刘小明", union=union, number="XH-2026-000123", since=since)
    body = api_as(proven).get(f"{BASE}/card").json()
    assert (body["name"], body["number"], body["union"]) == ("刘小明", "XH-2026-000123", "兴化市总工会")
    assert body["since"] == since.isoformat()
    assert services.card_verify(body["token"]) == services.CardCheck(True, "刘*明", "兴化市总工会")
    assert body["token"].split(":")[0] == services.card_token(member).split(":")[0]
    assert body["token"] in body["verify_url"]
    issued = datetime.datetime.fromisoformat(body["issued_at"])
    assert datetime.datetime.fromisoformat(body["expires_at"]) - issued == datetime.timedelta(hours=24)
    state = api_as(proven).get(f"{BASE}/me").json()
    assert state["member"]["number"] == "XH-2026-000123" and state["member"]["current"] is True


def test_no_card_for_someone_who_is_not_a_member(api_as, proven):
    response = api_as(proven).get(f"{BASE}/card")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", f"{BASE}/me"), ("post", f"{BASE}/applications"), ("get", f"{BASE}/card")],
)
def test_signed_in_operations_are_401_without_a_token(client, method, path):
    call = getattr(client, method)
    response = call(path, content_type="application/json") if method != "get" else call(path)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
