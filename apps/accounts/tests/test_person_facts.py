"""The facts only a person can declare (sex, birth date, occupation): optional, checked, and
read by other apps through the registry."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.core.registry import person_fact, person_facts

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    return client.post(reverse("accounts:profile_edit"), {"real_name": "王师傅", **fields})


def test_the_profile_takes_sex_birth_date_and_occupation(client):
    person = UserFactory()
    client.force_login(person)
    born = timezone.localdate().replace(year=timezone.localdate().year - 35) - datetime.timedelta(days=1)
    response = _post(client, sex="female", birth_date=born.isoformat(), occupation="delivery")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.sex, person.birth_date, person.occupation) == ("female", born, "delivery")
    assert person_fact(person, "age") == 35 and person_fact(person, "new_form_worker") is True


def test_the_facts_stay_optional_and_unknown_until_given(client):
    person = UserFactory()
    client.force_login(person)
    assert _post(client).status_code == 302
    facts = person_facts(person)
    assert facts["sex"] is None and facts["age"] is None and facts["new_form_worker"] is None


def test_a_birth_date_in_the_future_is_refused_with_a_clear_message(client):
    person = UserFactory()
    client.force_login(person)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _post(client, birth_date=tomorrow.isoformat())
    assert response.status_code == 200 and "出生日期不能晚于今天。" in response.content.decode()
    person.refresh_from_db()
    assert person.birth_date is None


def test_an_occupation_that_is_not_on_the_list_is_refused(client):
    person = UserFactory()
    client.force_login(person)
    response = _post(client, occupation="astronaut")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.occupation == ""


def test_an_anonymous_visitor_has_no_facts():
    from django.contrib.auth.models import AnonymousUser

    assert person_facts(AnonymousUser()) == {}
