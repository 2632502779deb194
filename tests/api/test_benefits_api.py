"""/api/v1/benefits/: this year's programmes with what the worker may do and why, applying (rules,
window, separate health consent, one place per person), confirming, booking, cancelling, and
nobody else's application."""

import datetime

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.benefits import services
from apps.benefits.models import Application, Kind, Rule
from apps.benefits.tests.factories import OrgFactory, close_window, make_programme

pytestmark = pytest.mark.django_db

BASE = "/api/v1/benefits"
WOMEN = [(Rule.Check.FEMALE, "", "仅限女职工")]


def test_the_catalogue_says_why_not_for_a_man_and_open_for_a_woman(client, api_as):
    programme = make_programme(kind=Kind.SCREENING, rules=WOMEN)
    anonymous = client.get(f"{BASE}/programmes").json()
    assert [p["id"] for p in anonymous] == [programme.pk] and anonymous[0]["status"] == ""
    assert client.get(f"{BASE}/programmes/{programme.pk}").json()["name"] == programme.name
    man = api_as(UserFactory(sex="male")).get(f"{BASE}/eligibility").json()[0]
    assert man["status"] == "ineligible" and man["reason"] == "仅限女职工"
    woman = api_as(UserFactory(sex="female")).get(f"{BASE}/eligibility").json()[0]
    assert woman["status"] == "open"
    assert client.get(f"{BASE}/eligibility").status_code == 401
    assert client.get(f"{BASE}/programmes", {"year": 1800}).status_code == 422


def test_apply_needs_the_health_consent_and_twice_is_refused(api_as):
    programme = make_programme(kind=Kind.SCREENING, rules=WOMEN)
    lady = api_as(UserFactory(sex="female"))
    refused = lady.post(f"{BASE}/programmes/{programme.pk}/apply", {"consent": True})
    assert refused.status_code == 422 and "health_consent" in refused.json()["fields"]
    made = lady.post(f"{BASE}/programmes/{programme.pk}/apply", {"consent": True, "health_consent": True})
    assert made.status_code == 201 and made.json()["state"] == "applied"
    again = lady.post(f"{BASE}/programmes/{programme.pk}/apply", {"consent": True, "health_consent": True})
    assert again.status_code == 422 and made.json()["reference"] in again.json()["message"]
    assert Application.objects.count() == 1


def test_confirm_book_and_nobody_elses_application(api_as, stranger):
    programme = make_programme(kind=Kind.SCREENING, rules=WOMEN, places=1)
    slot = services.slot_add(
        programme=programme,
        provider=OrgFactory(),
        day=timezone.localdate() + datetime.timedelta(days=1),
        starts=datetime.time(8),
        ends=datetime.time(9),
        places=1,
    )
    person = UserFactory(sex="female")
    lady = api_as(person)
    pk = lady.post(f"{BASE}/programmes/{programme.pk}/apply", {"consent": True, "health_consent": True}).json()["id"]
    close_window(programme)
    services.allocation_preview(programme=programme)
    services.allocation_run(programme=programme, by=UserFactory())
    assert lady.get(f"{BASE}/applications/{pk}").json()["state"] == "offered"
    other = api_as(stranger)
    assert other.get(f"{BASE}/applications/{pk}").status_code == 404
    assert other.post(f"{BASE}/applications/{pk}/cancel").status_code == 404
    too_early = lady.post(f"{BASE}/applications/{pk}/book", {"slot": slot.pk})
    assert too_early.status_code == 422
    assert lady.post(f"{BASE}/applications/{pk}/confirm").json()["state"] == "confirmed"
    booked = lady.post(f"{BASE}/applications/{pk}/book", {"slot": slot.pk}).json()
    assert booked["slot"] and [a["id"] for a in lady.get(f"{BASE}/applications").json()] == [pk]
    assert lady.post(f"{BASE}/applications/{pk}/nonsense").status_code == 404
