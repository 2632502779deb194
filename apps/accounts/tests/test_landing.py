"""Every role arrives at its own work after signing in (journey 15)."""

import pytest
from django.urls import reverse

from apps.core import registry

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

QUEUES = {
    "lawyer": "/legal/duty/",
    "legal_officer": "/legal/triage/",
    "mediator": "/legal/mediation/",
    "station_keeper": "/stations/keeper/",
    "reviewer": "/innovation/reviews/",
    "innovation_officer": "/innovation/manage/",
    "enterprise_union": "/innovation/endorse/",
    "chief_editor": "/admin/news/article/",
}


def test_every_role_names_a_landing_that_resolves():
    for role in registry.roles().values():
        assert role.landing, f"{role.name} lands on /me/ with nothing of its work first"
        reverse(role.landing)


@pytest.mark.parametrize("role, queue", list(QUEUES.items()))
def test_signing_in_lands_on_the_roles_queue(client, user_with_role, role, queue):
    user = user_with_role(role, username=f"u-{role}")
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == queue
    assert client.get(queue).status_code == 200


def test_a_next_link_still_wins(client, user_with_role):
    user = user_with_role("lawyer", username="u-next")
    response = client.post(
        reverse("account_login") + "?next=/stations/", {"login": user.username, "password": PASSWORD}
    )
    assert response["Location"] == "/stations/"
