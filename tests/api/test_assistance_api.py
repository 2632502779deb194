"""/api/v1/assistance/: a signed-in worker reads their own help requests (drafts too) with the
timeline and the help given; anyone else's request is 404; anonymous calls are 401."""

import pytest

from apps.assistance.models import HelpRequest
from apps.assistance.tests.factories import TownFactory, UnionFactory, advance, draft, staff_of, submitted
from apps.core.models import AuditEntry

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assistance"


@pytest.fixture
def world(user_with_role):
    town = TownFactory(name="戴南镇")
    union = UnionFactory(name="戴南镇总工会", town=town)
    return {
        "town": town,
        "caseworker": staff_of(union, real_name="钱干事"),
        "officer": user_with_role("assistance_officer", real_name="吴主任"),
    }


def test_a_worker_lists_and_reads_their_own_requests(api_as, worker, world):
    mine = advance(
        submitted(worker, world["town"]), caseworker=world["caseworker"], officer=world["officer"], to="helped"
    )
    draft(worker, world["town"])
    api = api_as(worker)
    listed = api.get(f"{BASE}/requests").json()
    assert {row["state"] for row in listed} == {"helped", "draft"}
    body = api.get(f"{BASE}/requests/{mine.pk}").json()
    assert body["state_label"] == "已发放帮扶" and body["band"] == "deep"
    assert [e["state"] for e in body["timeline"]][0] == "submitted"
    assert body["help_given"][0]["amount"] in ("3000.00", 3000, "3000")
    assert AuditEntry.objects.for_object(mine).filter(actor=worker, detail="接口查看").exists()


def test_someone_elses_request_is_404_and_anonymous_is_401(api_as, client, worker, stranger, world):
    theirs = submitted(stranger, world["town"])
    api = api_as(worker)
    response = api.get(f"{BASE}/requests/{theirs.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api.get(f"{BASE}/requests").json() == []
    assert client.get(f"{BASE}/requests").status_code == 401
    assert client.get(f"{BASE}/requests/{theirs.pk}").status_code == 401


def test_caseworkers_and_officers_get_only_their_own_through_the_api(api_as, worker, world):
    case = submitted(worker, world["town"])
    for person in (world["caseworker"], world["officer"]):
        assert api_as(person).get(f"{BASE}/requests/{case.pk}").status_code == 404
    assert HelpRequest.objects.count() == 1
