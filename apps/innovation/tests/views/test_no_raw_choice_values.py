"""No raw choice key on the worker's project page or the officer's campaign pages."""

import pytest
from django.urls import reverse

from apps.core.tests.raw_choices import choice_keys, raw_choice_values

pytestmark = pytest.mark.django_db


def test_the_checker_finds_a_raw_key():
    assert "submitted" in choice_keys() and "under_review" in choice_keys()
    assert raw_choice_values("<p>赵师傅 submitted</p><script>var s='draft'</script>") == ["submitted"]
    assert raw_choice_values('<p class="under_review">评审中</p>') == []


def test_worker_project_page_names_each_step_in_words(client, decided, worker):
    client.force_login(worker)
    body = client.get(reverse("innovation:project", args=[decided.pk])).content.decode()
    assert "办理记录" in body
    assert raw_choice_values(body) == []


def test_officer_campaign_and_ranking_pages_show_labels(client, decided, officer):
    client.force_login(officer)
    for name in ("innovation:manage", "innovation:manage_campaign", "innovation:ranking"):
        args = [] if name == "innovation:manage" else [decided.campaign_id]
        body = client.get(reverse(name, args=args)).content.decode()
        assert raw_choice_values(body) == [], name
