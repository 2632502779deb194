"""Per-object privacy through /api/v1/: with two workers' tokens, every private resource of one
is 404 to the other — as on the pages — and nothing of it leaks into a list."""

import pytest

from apps.legal_aid import services as legal_services
from apps.legal_aid.tests.factories import LegalEventFactory, LegalStationFactory, submit_consultation
from apps.reminders.models import Notification
from apps.reminders.services import notify_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(worker):
    """One of each private record of ``worker``."""
    notify_all([worker], kind="general", key="mine", title="只给张师傅")
    consultation = submit_consultation(worker, LegalStationFactory(), question="只有本人能看的问题")
    registration = legal_services.event_register(event=LegalEventFactory(), user=worker).enrolment
    return {
        "notification": Notification.objects.get(user=worker),
        "consultation": consultation,
        "registration": registration,
    }


def test_each_private_record_is_404_to_another_worker(api_as, worker, stranger, owned):
    other = api_as(stranger)
    n, c, r = owned["notification"].pk, owned["consultation"].pk, owned["registration"].pk
    for method, path in [
        ("post", f"/api/v1/reminders/notifications/{n}/read"),
        ("get", f"/api/v1/legal_aid/consultations/{c}"),
        ("post", f"/api/v1/legal_aid/registrations/{r}/cancel"),
    ]:
        response = getattr(other, method)(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    owned["notification"].refresh_from_db()
    owned["registration"].refresh_from_db()
    assert owned["notification"].read_at is None and owned["registration"].state != "cancelled"


def test_the_owner_reaches_the_same_records(api_as, worker, owned):
    me = api_as(worker)
    assert me.post(f"/api/v1/reminders/notifications/{owned['notification'].pk}/read").status_code == 200
    assert me.get(f"/api/v1/legal_aid/consultations/{owned['consultation'].pk}").status_code == 200
    assert me.post(f"/api/v1/legal_aid/registrations/{owned['registration'].pk}/cancel").status_code == 200


def test_another_workers_records_never_appear_in_ones_own_lists(api_as, stranger, owned):
    other = api_as(stranger)
    assert other.get("/api/v1/reminders/notifications").json() == {"items": [], "unread": 0, "next_cursor": None}
    assert other.get("/api/v1/legal_aid/consultations").json()["items"] == []
    assert other.get("/api/v1/accounts/me").json()["real_name"] == "李师傅"


def test_marking_read_touches_only_ones_own(api_as, stranger, owned):
    ids = {"ids": [owned["notification"].pk]}
    assert api_as(stranger).post("/api/v1/reminders/notifications/read", ids).json() == {"marked": 0}
    owned["notification"].refresh_from_db()
    assert owned["notification"].read_at is None


def test_a_token_stays_its_owners_after_the_other_signs_in(api_as, worker, stranger):
    mine, theirs = api_as(worker), api_as(stranger)
    assert mine.get("/api/v1/accounts/me").json()["id"] == worker.pk
    assert theirs.get("/api/v1/accounts/me").json()["id"] == stranger.pk
    assert mine.get("/api/v1/accounts/me").json()["id"] == worker.pk
