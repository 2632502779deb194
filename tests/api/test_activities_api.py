"""/api/v1/activities/: what is on and one activity (anonymous), signing up, cancelling and one's
own enrolments (signed in), with the services' messages and nobody else's enrolment or child."""

import datetime

import pytest
from django.utils import timezone

from apps.activities.models import Kind
from apps.activities.tests.factories import make_activity
from apps.enrolment.models import Enrolment
from tests.api.test_miniprogram_journey import app  # noqa: F401 — the in-process mini-program client

pytestmark = pytest.mark.django_db

BASE = "/api/v1/activities"


def test_the_list_shows_what_is_on_with_places_left_and_filters_by_kind(client):
    reading = make_activity(kind=Kind.READING, places=5, title="读书会")
    make_activity(kind=Kind.SOCIAL, title="联谊会")
    make_activity(kind=Kind.READING, publish=False, title="草稿")
    body = client.get(f"{BASE}/activities").json()
    assert {item["title"] for item in body["items"]} >= {"读书会", "联谊会"}
    assert not any(item["title"] == "草稿" for item in body["items"])
    only = client.get(f"{BASE}/activities", {"kind": Kind.READING}).json()["items"]
    assert [item["id"] for item in only] == [reading.pk]
    assert only[0]["places"]["left"] == 5 and only[0]["next_start"]


def test_an_unknown_kind_is_a_422_in_the_error_shape(client):
    response = client.get(f"{BASE}/activities", {"kind": "nonsense"})
    assert response.status_code == 422 and "kind" in response.json()["fields"]


def test_the_list_pages_by_cursor(client):
    for n in range(21):
        make_activity(title=f"活动{n}", start=timezone.now() + datetime.timedelta(days=2, hours=n))
    first = client.get(f"{BASE}/activities").json()
    assert len(first["items"]) == 20 and first["next_cursor"]
    second = client.get(f"{BASE}/activities", {"cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert second["items"][0]["id"] not in {item["id"] for item in first["items"]}
    assert client.get(f"{BASE}/activities", {"cursor": "forged"}).status_code == 422


def test_one_activity_with_its_sessions_and_places_left(client, api_as, worker):
    activity = make_activity(places=2, sessions=3)
    api_as(worker).post(f"{BASE}/activities/{activity.pk}/signup")
    body = client.get(f"{BASE}/activities/{activity.pk}").json()
    assert len(body["sessions"]) == 3 and body["places"]["left"] == 1 and body["places"]["places"] == 2
    assert client.get(f"{BASE}/activities/{activity.pk + 999}").json()["code"] == "not_found"
    draft = make_activity(publish=False)
    assert client.get(f"{BASE}/activities/{draft.pk}").status_code == 404


def test_no_public_answer_carries_a_childs_details(client, api_as, worker):
    activity = make_activity(kind=Kind.CHILDCARE, child_min_age=6, child_max_age=12)
    signed = api_as(worker).post(
        f"{BASE}/activities/{activity.pk}/signup",
        {"dependant_name": "小明明", "dependant_age": 8, "guardian_phone": "13900000001", "guardian_consent": True},
    )
    assert signed.status_code == 201, signed.content
    assert Enrolment.objects.get(pk=signed.json()["id"]).dependant_name == "小明明"
    for path in (f"{BASE}/activities", f"{BASE}/activities/{activity.pk}"):
        text = client.get(path).content.decode()
        assert "小明明" not in text and "13900000001" not in text
    assert "小明明" not in signed.content.decode() and signed.json()["for_child"] is True


def test_sign_up_then_again_then_cancel(api_as, worker):
    activity = make_activity(places=3)
    me = api_as(worker)
    signed = me.post(f"{BASE}/activities/{activity.pk}/signup")
    assert signed.status_code == 201 and signed.json()["state"] == Enrolment.State.CONFIRMED
    assert "报名成功" in signed.json()["message"]
    again = me.post(f"{BASE}/activities/{activity.pk}/signup")
    assert again.status_code == 200 and again.json()["id"] == signed.json()["id"]
    mine = me.get(f"{BASE}/enrolments").json()
    assert [row["id"] for row in mine] == [signed.json()["id"]]
    cancelled = me.post(f"{BASE}/enrolments/{signed.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == Enrolment.State.CANCELLED
    twice = me.post(f"{BASE}/enrolments/{signed.json()['id']}/cancel")
    assert twice.status_code == 422 and twice.json()["message"] == "该报名已经取消或失效。"


def test_a_full_activity_puts_the_next_worker_on_the_waiting_list(api_as, worker, stranger):
    activity = make_activity(places=1)
    api_as(stranger).post(f"{BASE}/activities/{activity.pk}/signup")
    waiting = api_as(worker).post(f"{BASE}/activities/{activity.pk}/signup")
    assert waiting.json()["state"] == Enrolment.State.WAITING and waiting.json()["waiting_position"] == 1


def test_a_full_activity_without_a_waiting_list_is_refused_with_the_services_message(api_as, worker, stranger):
    activity = make_activity(places=1, roster_fields={"waiting_list": False})
    api_as(stranger).post(f"{BASE}/activities/{activity.pk}/signup")
    response = api_as(worker).post(f"{BASE}/activities/{activity.pk}/signup")
    assert response.status_code == 422
    assert response.json() == {"code": "full", "message": "名额已满，本活动不设候补。", "fields": {}}


def test_sign_up_outside_the_window_is_refused(api_as, worker):
    closed = make_activity(roster_fields={"closes_at": timezone.now() - datetime.timedelta(hours=1)})
    response = api_as(worker).post(f"{BASE}/activities/{closed.pk}/signup")
    assert response.status_code == 422 and response.json()["code"] == "closed"
    assert response.json()["message"].startswith("报名已于")


def test_an_audience_the_worker_is_not_in_is_refused_with_the_rules_reason(api_as, worker):
    activity = make_activity(audience="staff", roster_fields={"audience": "staff"})
    response = api_as(worker).post(f"{BASE}/activities/{activity.pk}/signup")
    assert response.status_code == 422 and response.json()["code"] == "audience" and response.json()["message"]
    assert not Enrolment.objects.filter(person=worker).exists()


def test_another_workers_enrolment_is_404(api_as, worker, stranger):
    activity = make_activity()
    theirs = api_as(stranger).post(f"{BASE}/activities/{activity.pk}/signup").json()["id"]
    response = api_as(worker).post(f"{BASE}/enrolments/{theirs}/cancel")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Enrolment.objects.get(pk=theirs).state == Enrolment.State.CONFIRMED
    assert api_as(worker).get(f"{BASE}/enrolments").json() == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"{BASE}/activities/1/signup"),
        ("post", f"{BASE}/enrolments/1/cancel"),
        ("get", f"{BASE}/enrolments"),
    ],
)
def test_signed_in_operations_are_401_without_a_token(client, method, path):
    call = getattr(client, method)
    response = call(path, content_type="application/json") if method != "get" else call(path)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.django_db(transaction=True)  # on PostgreSQL the WSGI client must not ride one test transaction
def test_sms_sign_in_join_the_waiting_list_and_read_the_offer(
    app,  # noqa: F811 — the fixture imported above
    stranger,
    api_as,
    django_capture_on_commit_callbacks,
):
    """The mini-program journey through activities: SMS sign-in, a place on the waiting list,
    the offer when a place frees up, read in the notifications."""
    from apps.accounts.sms import ConsoleSmsBackend
    from apps.accounts.tests.factories import UserFactory

    UserFactory(phone="13912345679", phone_verified=True, real_name="陈师傅")
    activity = make_activity(places=1, title="职工读书会")
    taken = api_as(stranger).post(f"{BASE}/activities/{activity.pk}/signup").json()["id"]

    app.request_sms_code("13912345679")
    app.confirm_sms_code(next(m["code"] for m in reversed(ConsoleSmsBackend.outbox) if m["phone"] == "13912345679"))
    mine = app.call("POST", f"/activities/activities/{activity.pk}/signup")
    assert mine["state"] == Enrolment.State.WAITING and mine["waiting_position"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        api_as(stranger).post(f"{BASE}/enrolments/{taken}/cancel")
    inbox = app.call("GET", "/reminders/notifications", params={"unread": "true"})
    assert inbox["unread"] >= 1 and any("职工读书会" in n["title"] + n["body"] for n in inbox["items"])
    [offered] = app.call("GET", "/activities/enrolments")
    assert offered["state"] == Enrolment.State.OFFERED and offered["offer_expires_at"]
