"""Journey 3: ranking says why a project cannot be decided yet, never empties silently, and 公示 is reachable."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.innovation import services
from apps.innovation.models import RankingEntry

from ..factories import score_all

pytestmark = pytest.mark.django_db


def test_a_project_with_reviews_missing_says_how_many_and_offers_no_decision(client, project_in_review, officer):
    first, *_rest = project_in_review.assignments.all()
    score_all(first, value=8)
    services.ranking_compute(campaign=project_in_review.campaign)
    client.force_login(officer)
    body = client.get(reverse("innovation:ranking", args=[project_in_review.campaign_id])).content.decode()
    assert "还差 2 份评审" in body
    assert "记录评定" not in body


def test_a_fully_reviewed_ranked_project_can_be_decided(client, project_in_review, officer):
    for assignment in project_in_review.assignments.all():
        score_all(assignment, value=8)
    services.ranking_compute(campaign=project_in_review.campaign)
    client.force_login(officer)
    body = client.get(reverse("innovation:ranking", args=[project_in_review.campaign_id])).content.decode()
    assert "记录评定" in body and "还差" not in body


def test_computing_with_no_submitted_review_keeps_the_ranking_and_says_why(client, project_in_review, officer):
    first, *_rest = project_in_review.assignments.all()
    score_all(first, value=8)
    services.ranking_compute(campaign=project_in_review.campaign)
    # the one submitted review is withdrawn to draft: nothing is left to rank
    project_in_review.reviews.update(status="draft")
    with pytest.raises(ValidationError):
        services.ranking_compute(campaign=project_in_review.campaign)
    assert RankingEntry.objects.filter(project=project_in_review).exists()
    client.force_login(officer)
    response = client.post(
        reverse("innovation:manage_action", args=[project_in_review.campaign_id, "rank"]), follow=True
    )
    assert "排名没有变化" in response.content.decode()


def test_open_publicity_is_offered_only_when_something_is_decided(client, project_in_review, decided, officer):
    client.force_login(officer)
    body = client.get(reverse("innovation:manage_campaign", args=[decided.campaign_id])).content.decode()
    assert 'data-testid="open-publicity"' in body


def test_open_publicity_is_not_offered_before_a_decision(client, project_in_review, officer):
    client.force_login(officer)
    body = client.get(reverse("innovation:manage_campaign", args=[project_in_review.campaign_id])).content.decode()
    assert 'data-testid="open-publicity"' not in body and 'data-testid="publicity-not-ready"' in body


def test_the_years_publicity_page_exists_before_it_starts(client, project_in_review):
    response = client.get(reverse("innovation:publicity", args=[project_in_review.campaign.year]))
    assert response.status_code == 200
    assert "尚未开始公示" in response.content.decode()
