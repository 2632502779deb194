"""Journey 18: a technical problem has its own page with its description, contact and 我要揭榜."""

import pytest
from django.urls import reverse

from ..factories import TechProblemFactory

pytestmark = pytest.mark.django_db


def test_a_problem_has_a_page_with_description_contact_and_take_on(client):
    problem = TechProblemFactory(description="链条热处理变形大，需要降低废品率。")
    listing = client.get(reverse("innovation:problems")).content.decode()
    assert reverse("innovation:problem", args=[problem.pk]) in listing
    page = client.get(reverse("innovation:problem", args=[problem.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "链条热处理变形大" in body and 'data-testid="contact"' in body and "12351" in body
    assert "我要揭榜" in body and "登录后揭榜" in body


def test_an_unknown_problem_is_404(client):
    assert client.get(reverse("innovation:problem", args=[999999])).status_code == 404
