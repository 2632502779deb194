"""The admin of unions (core) and of membership records: unions show their fields, staff added
there hold the role, the ledger is read-only."""

import pytest
from django.urls import reverse

from apps.accounts.roles import users_holding
from apps.core.models import Organization, UnionStaff

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_a_union_is_edited_with_its_level_parent_industry_and_staff(admin_client, hierarchy, user_with_role):
    user_with_role([])  # syncs the role groups
    person = UserFactory(username="new-staff")
    url = reverse("admin:core_organization_change", args=[hierarchy.courier.pk])
    body = admin_client.get(url).content.decode()
    assert 'name="union_level"' in body and 'name="industry"' in body and "快递员" in body
    response = admin_client.post(
        url,
        {
            "name": hierarchy.courier.name,
            "short_name": "快递行业工会",
            "kind": "union",
            "union_level": "industry",
            "parent": hierarchy.city.pk,
            "industry": "courier",
            "town": "",
            "covered_by": "",
            "staff_posts-TOTAL_FORMS": "1",
            "staff_posts-INITIAL_FORMS": "0",
            "staff_posts-0-user": person.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert UnionStaff.objects.filter(union=hierarchy.courier, user=person).exists()
    assert list(users_holding("union_staff", obj=Organization.objects.get(pk=hierarchy.courier.pk))) == [person]


def test_an_employer_cannot_carry_a_union_level(hierarchy):
    from django.core.exceptions import ValidationError

    hierarchy.bare.union_level = "grassroots"
    with pytest.raises(ValidationError):
        hierarchy.bare.full_clean()


def test_membership_admin_pages_open_and_the_ledger_cannot_be_edited(admin_client, hierarchy):
    for name in ("application", "member", "ledgerentry", "transfer", "unionsetuprequest"):
        assert admin_client.get(reverse(f"admin:membership_{name}_changelist")).status_code == 200, name
    assert admin_client.get(reverse("admin:membership_ledgerentry_add")).status_code == 403
    assert admin_client.get(reverse("admin:membership_member_add")).status_code == 403
