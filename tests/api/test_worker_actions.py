"""A signed-in worker's own actions through /api/v1/: the same forms, services and messages as
the pages, in the one error shape; anonymous calls are 401."""

import pytest
from django.utils import timezone

from apps.core.audit import audit_entries
from apps.core.models import AuditEntry
from apps.core.tests.factories import TownFactory
from apps.legal_aid.models import Consultation
from apps.legal_aid.tests.factories import LegalEventFactory, LegalStationFactory
from apps.reminders.services import notify_all
from apps.stations.models import Station, Visit
from apps.stations.tests.factories import StationFactory
from apps.tenthings.models import Follow, Rating
from apps.tenthings.tests.factories import ItemFactory, PlanFactory

pytestmark = pytest.mark.django_db


# --- profile ------------------------------------------------------------------------------


def test_profile_changes_through_the_profile_form(api_as, worker):
    town = TownFactory(name="昭阳街道")
    me = api_as(worker)
    body = me.patch("/api/v1/accounts/me", {"real_name": "张建国", "town": town.pk}).json()
    assert body["real_name"] == "张建国" and body["town_name"] == "昭阳街道"
    worker.refresh_from_db()
    assert worker.real_name == "张建国" and worker.town == town


def test_the_mobile_number_changes_only_through_its_sms_proof_not_the_profile(api_as, worker):
    worker.phone, worker.phone_verified = "13800000001", True
    worker.save()
    body = api_as(worker).patch("/api/v1/accounts/me", {"phone": "13800000002"}).json()
    assert body["phone"] == "13800000001" and body["phone_verified"] is True


def test_profile_errors_carry_the_forms_messages_by_field(api_as, worker):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = api_as(worker).patch("/api/v1/accounts/me", {"birth_date": tomorrow})
    assert response.status_code == 422
    body = response.json()
    assert body["fields"] == {"birth_date": ["出生日期不能晚于今天。"]} and body["message"] == "出生日期不能晚于今天。"


def test_a_field_of_the_wrong_type_is_a_422_in_the_same_shape(api_as, worker):
    response = api_as(worker).patch("/api/v1/accounts/me", {"town": "昭阳"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and "town" in response.json()["fields"]


# --- notifications --------------------------------------------------------------------------


def test_notifications_list_newest_first_and_mark_read(api_as, worker):
    notify_all([worker], kind="general", key="a", title="第一条")
    notify_all([worker], kind="general", key="b", title="第二条")
    me = api_as(worker)
    body = me.get("/api/v1/reminders/notifications").json()
    assert body["unread"] == 2 and {n["title"] for n in body["items"]} == {"第一条", "第二条"}
    one = body["items"][0]["id"]
    assert me.post(f"/api/v1/reminders/notifications/{one}/read").json()["read_at"]
    assert me.get("/api/v1/reminders/notifications", {"unread": "true"}).json()["unread"] == 1
    assert me.post("/api/v1/reminders/notifications/read", {}).json() == {"marked": 1}


def test_notifications_page_by_cursor(api_as, worker):
    for i in range(5):
        notify_all([worker], kind="general", key=f"k{i}", title=f"通知{i}")
    me = api_as(worker)
    first = me.get("/api/v1/reminders/notifications", {"limit": 3}).json()
    second = me.get("/api/v1/reminders/notifications", {"limit": 3, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 2 and second["next_cursor"] is None


@pytest.mark.parametrize("more", [2, 25])
def test_notifications_queries_do_not_grow(api_as, worker, django_assert_max_num_queries, more):
    notify_all([worker], kind="general", key="first", title="x")
    me = api_as(worker)
    for i in range(more):
        notify_all([worker], kind="general", key=f"n{i}", title=f"通知{i}")
    # allauth's token lookup (the session twice, the user), the page, the unread count.
    with django_assert_max_num_queries(5):
        assert len(me.get("/api/v1/reminders/notifications").json()["items"]) == min(more + 1, 20)


# --- ten things ---------------------------------------------------------------------------


@pytest.fixture
def item():
    return ItemFactory(plan=PlanFactory(year=timezone.localdate().year), number=3)


def test_follow_and_rate_an_item_then_read_them_back(api_as, worker, item):
    me = api_as(worker)
    base = f"/api/v1/tenthings/years/{item.plan.year}/items/3"
    assert me.put(f"{base}/follow", {"follow": True}).json() == {"stars": None, "following": True}
    assert me.put(f"{base}/rating", {"stars": 4}).json() == {"stars": 4, "following": True}
    assert me.put(f"{base}/rating", {"stars": 2}).json()["stars"] == 2  # a second rating changes it
    assert me.get(f"{base}/mine").json() == {"stars": 2, "following": True}
    assert Rating.objects.get(item=item, user=worker).stars == 2 and Follow.objects.filter(user=worker).exists()
    assert me.put(f"{base}/follow", {"follow": False}).json()["following"] is False


def test_a_rating_out_of_range_is_refused_with_the_pages_message(api_as, worker, item):
    response = api_as(worker).put(f"/api/v1/tenthings/years/{item.plan.year}/items/3/rating", {"stars": 9})
    assert response.status_code == 422 and response.json()["fields"] == {"stars": ["请选择 1 到 5 星。"]}
    assert not Rating.objects.exists()


# --- stations -------------------------------------------------------------------------------


def test_check_in_once_an_hour(api_as, worker):
    station = StationFactory(name="昭阳驿站")
    me = api_as(worker)
    first = me.post(f"/api/v1/stations/{station.pk}/checkin", {"occupation": "sanitation"})
    assert first.status_code == 201 and "昭阳驿站" in first.json()["message"]
    again = me.post(f"/api/v1/stations/{station.pk}/checkin", {"occupation": "sanitation"})
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
    assert Visit.objects.filter(user=worker).count() == 1


def test_check_in_refuses_what_the_page_refuses(api_as, worker):
    closed = StationFactory(status=Station.Status.SUSPENDED, status_reason="维修")
    me = api_as(worker)
    bad = me.post(f"/api/v1/stations/{closed.pk}/checkin", {"occupation": "nonsense"})
    assert bad.status_code == 422 and bad.json()["fields"] == {"occupation": ["请选择列表中的职业。"]}
    shut = me.post(f"/api/v1/stations/{closed.pk}/checkin", {"occupation": "sanitation"})
    assert shut.status_code == 422 and shut.json()["message"] == "该驿站目前不开放，无法签到。"


# --- legal aid ----------------------------------------------------------------------------


def _question(station, **extra):
    data = {
        "station": station.pk,
        "topic": "wages",
        "question": "老板拖欠三个月工资",
        "channel": "written",
        "contact_name": "张师傅",
        "contact_phone": "13800000000",
        "consent": True,
    }
    data.update(extra)
    return data


def test_ask_a_legal_question_and_follow_it(api_as, worker):
    station = LegalStationFactory()
    me = api_as(worker)
    asked = me.post("/api/v1/legal_aid/consultations", _question(station))
    assert asked.status_code == 201, asked.content
    pk = asked.json()["id"]
    assert Consultation.objects.get(pk=pk).worker == worker
    assert [c["id"] for c in me.get("/api/v1/legal_aid/consultations").json()["items"]] == [pk]
    assert me.get(f"/api/v1/legal_aid/consultations/{pk}").json()["status"] == "submitted"
    consultation = Consultation.objects.get(pk=pk)
    assert audit_entries(consultation).filter(action=AuditEntry.Action.VIEW, actor=worker).exists()


def test_a_question_without_consent_is_refused_with_the_services_message(api_as, worker):
    response = api_as(worker).post("/api/v1/legal_aid/consultations", _question(LegalStationFactory(), consent=False))
    assert response.status_code == 422
    assert response.json()["fields"] == {"consent": ["请阅读并同意《个人信息保护告知》后再提交咨询。"]}
    assert not Consultation.objects.exists()


def test_a_question_missing_what_the_form_requires_names_the_fields(api_as, worker):
    response = api_as(worker).post("/api/v1/legal_aid/consultations", _question(LegalStationFactory(), question=""))
    assert response.status_code == 422 and "question" in response.json()["fields"]


def test_sign_up_for_a_legal_event_and_cancel(api_as, worker):
    event = LegalEventFactory(capacity=1)
    me = api_as(worker)
    signed = me.post(f"/api/v1/legal_aid/events/{event.pk}/registration")
    assert signed.status_code == 201 and signed.json()["status"] == "confirmed"
    again = me.post(f"/api/v1/legal_aid/events/{event.pk}/registration")
    assert again.status_code == 200 and again.json()["id"] == signed.json()["id"]
    assert again.json()["message"] == "您已经报名了这个活动。"
    cancelled = me.post(f"/api/v1/legal_aid/registrations/{signed.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"


# --- anonymous ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/accounts/me"),
        ("patch", "/api/v1/accounts/me"),
        ("get", "/api/v1/reminders/notifications"),
        ("post", "/api/v1/reminders/notifications/read"),
        ("post", "/api/v1/reminders/notifications/1/read"),
        ("get", "/api/v1/tenthings/years/2024/items/1/mine"),
        ("put", "/api/v1/tenthings/years/2024/items/1/follow"),
        ("put", "/api/v1/tenthings/years/2024/items/1/rating"),
        ("post", "/api/v1/stations/1/checkin"),
        ("post", "/api/v1/legal_aid/consultations"),
        ("get", "/api/v1/legal_aid/consultations"),
        ("get", "/api/v1/legal_aid/consultations/1"),
        ("post", "/api/v1/legal_aid/events/1/registration"),
        ("post", "/api/v1/legal_aid/registrations/1/cancel"),
    ],
)
def test_signed_in_operations_are_401_without_a_token(client, method, path):
    call = getattr(client, method)
    response = call(path, content_type="application/json") if method != "get" else call(path)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_session_cookie_alone_does_not_sign_an_api_call_in(client, worker):
    # Cookie sessions would need CSRF protection; the API takes tokens only.
    client.force_login(worker)
    assert client.get("/api/v1/accounts/me").status_code == 401
