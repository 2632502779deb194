"""The reviewer's pages: only assigned, recusal, blind expert review, flat queries."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.innovation import services
from apps.innovation.models import Review

from ..factories import score_all

pytestmark = pytest.mark.django_db


def test_a_review_by_someone_not_assigned_is_refused(project_in_review, make_reviewer, client):
    assignment = project_in_review.assignments.first()
    stranger = make_reviewer()
    with pytest.raises(ValidationError) as exc:
        services.review_save(assignment=assignment, reviewer=stranger, scores={}, submit=False)
    assert exc.value.messages == ["您未被指派评审该项目，不能评分。"]
    assert not Review.objects.exists()
    client.force_login(stranger)
    assert client.get(reverse("innovation:review", args=[assignment.pk])).status_code == 404


def test_a_recused_reviewer_sees_no_scores_and_cannot_score(project_in_review, client):
    first, second = project_in_review.assignments.all()[:2]
    score_all(second, value=9)
    services.assignment_recuse(assignment=first, reviewer=first.reviewer, reason="项目完成人是我的学生")
    client.force_login(first.reviewer)
    page = client.get(reverse("innovation:review", args=[first.pk])).content.decode()
    assert "您已回避本项目" in page and "9.00" not in page and "score-form" not in page
    with pytest.raises(ValidationError, match="您已回避该项目"):
        score_all(first)
    assert project_in_review.events.filter(note__contains="项目完成人是我的学生").exists()


def test_names_and_employers_are_hidden_during_expert_review(project_in_review, client):
    assignment = project_in_review.assignments.first()
    client.force_login(assignment.reviewer)
    page = client.get(reverse("innovation:review", args=[assignment.pk])).content.decode()
    assert "identity-hidden" in page
    assert "王班长" not in page and str(project_in_review.employer) not in page


@pytest.mark.parametrize("size", [2, 10])
def test_reviewer_queue_and_ranking_queries_are_flat(
    client, big_review, officer, campaign, size, django_assert_max_num_queries
):
    reviewers = big_review(size)
    client.force_login(reviewers[0])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("innovation:reviews"))
    assert page.content.decode().count("已提交") >= size
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("innovation:ranking", args=[campaign.pk]))
    assert page.content.decode().count('data-testid="rank-row"') == size
