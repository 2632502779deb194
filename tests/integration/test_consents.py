"""/me/consents/ (PIPL): a parent withdraws a child's enrolment consent and a worker the
leaderboard name consent; each says what stops before it happens."""

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment
from apps.enrolment.tests.factories import OccasionFactory, RosterFactory
from apps.innovation.models import LeaderboardConsent

pytestmark = pytest.mark.django_db


def test_a_parent_withdraws_the_consent_for_a_child_and_the_place_passes_on(client, django_capture_on_commit_callbacks):
    roster = OccasionFactory(roster=RosterFactory(dependants_allowed=True, places=1)).roster
    parent, waiting = UserFactory(), UserFactory()
    child_of = {"dependant_age": 8, "guardian_consent": True}
    child = engine.signup(
        roster=roster, person=parent, dependant_name="小明", guardian_phone="13800000001", **child_of
    ).enrolment
    engine.signup(roster=roster, person=waiting, dependant_name="小红", guardian_phone="13800000002", **child_of)
    client.force_login(parent)
    listing = client.get(reverse("accounts:consents")).content.decode()
    assert "小明" in listing and "小红" not in listing
    url = reverse("accounts:consent_withdraw", args=["enrolment", f"child-{child.pk}"])
    assert "名额按顺序让给候补" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    child.refresh_from_db()
    assert child.state == Enrolment.State.CANCELLED and "小明" not in child.dependant_name
    assert child.guardian_phone == ""
    assert Enrolment.objects.get(person=waiting).state == Enrolment.State.OFFERED
    listing = client.get(reverse("accounts:consents")).content.decode()
    assert "小明" not in listing.split('data-testid="consents"')[1]  # (the one-time message names it)
    # The other parent's child cannot be withdrawn by this one.
    theirs = Enrolment.objects.get(person=waiting)
    theirs_url = reverse("accounts:consent_withdraw", args=["enrolment", f"child-{theirs.pk}"])
    assert client.post(theirs_url).status_code == 404


def test_the_leaderboard_name_consent_is_withdrawn(client):
    person = UserFactory()
    LeaderboardConsent.objects.create(user=person, show_name=True)
    client.force_login(person)
    assert "创新积分榜公开姓名" in client.get(reverse("accounts:consents")).content.decode()
    client.post(reverse("accounts:consent_withdraw", args=["innovation", "leaderboard_name"]))
    assert LeaderboardConsent.objects.get(user=person).show_name is False


def test_nothing_to_withdraw_says_so_and_anonymous_visitors_sign_in_first(client):
    assert client.get(reverse("accounts:consents")).status_code == 302
    client.force_login(UserFactory())
    assert "您目前没有可撤回的单独同意。" in client.get(reverse("accounts:consents")).content.decode()
