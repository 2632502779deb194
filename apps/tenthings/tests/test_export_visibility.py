"""The plan export follows the page: an unpublished year is 404 there for everyone, leaders too."""

import pytest
from django.urls import reverse

from .factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_an_unpublished_plan_cannot_be_downloaded_while_its_page_is_404(client, user_with_role):
    draft = PlanFactory(year=2027, published=False)
    PlanFactory(year=2024)
    client.force_login(user_with_role("leader"))
    assert client.get(reverse("tenthings:year", args=[draft.year])).status_code == 404
    assert client.get(f"/ten-things/{draft.year}/export.xlsx").status_code == 404
    published = client.get("/ten-things/2024/export.xlsx")
    assert published.status_code == 200
    assert published["Content-Type"].startswith("application/vnd.openxmlformats")
