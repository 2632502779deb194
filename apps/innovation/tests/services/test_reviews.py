"""Expert review: assigning reviewers, scoring, the n/a and independent criteria."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.innovation import services
from apps.innovation.models import Phase, Project, Review, ReviewAssignment, Score

from ..factories import OrganizationFactory, ProjectFactory, score_all

pytestmark = pytest.mark.django_db


def test_a_reviewer_of_the_projects_employer_cannot_be_assigned_by_hand(project_in_review, make_reviewer, officer):
    colleague = make_reviewer(employer=project_in_review.employer)
    before = ReviewAssignment.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(project=project_in_review, reviewer=colleague, by=officer)
    assert exc.value.messages == [f"不能指派与项目同单位的评审专家（{colleague}）。"]
    assert ReviewAssignment.objects.count() == before


def test_auto_assign_gives_n_reviewers_never_of_the_same_employer_and_balances_load(
    campaign, officer, make_reviewer, category
):
    employer_a, employer_b = OrganizationFactory(name="甲厂"), OrganizationFactory(name="乙厂")
    same = make_reviewer(employer=employer_a)
    others = [make_reviewer(employer=employer_b) for _ in range(2)] + [make_reviewer() for _ in range(2)]
    specialist = make_reviewer(specialties=[category])
    projects = [
        ProjectFactory(campaign=campaign, employer=employer_a, status=Project.Status.SCREENED) for _ in range(4)
    ]
    result = services.assignments_auto(campaign=campaign, by=officer)
    assert result["created"] == 12 and result["short"] == []
    for project in projects:
        reviewers = set(project.assignments.values_list("reviewer_id", flat=True))
        assert len(reviewers) == 3
        assert same.pk not in reviewers
        assert specialist.pk in reviewers  # specialty first
    loads = [ReviewAssignment.objects.filter(reviewer=r).count() for r in others]
    assert max(loads) - min(loads) <= 1  # the rest is spread evenly
    # Running it again adds nothing.
    assert services.assignments_auto(campaign=campaign, by=officer)["created"] == 0


def test_scores_outside_the_scale_are_refused_and_nothing_is_saved(project_in_review):
    assignment = project_in_review.assignments.first()
    criteria = list(project_in_review.campaign.criteria.all())
    with pytest.raises(ValidationError) as exc:
        services.review_save(
            assignment=assignment, reviewer=assignment.reviewer, scores={criteria[0].pk: "11"}, submit=False
        )
    assert exc.value.messages == ["「创新性」的评分必须在 0 到 10 分之间。"]
    assert not Review.objects.exists() and not Score.objects.exists()


def test_na_is_left_out_and_independent_criteria_are_not_totalled(project_in_review):
    assignment = project_in_review.assignments.first()
    criteria = {c.name: c for c in project_in_review.campaign.criteria.all()}
    criteria["技术难度"].required = False
    criteria["技术难度"].save()
    review = services.review_save(
        assignment=assignment,
        reviewer=assignment.reviewer,
        scores={criteria["创新性"].pk: 10, criteria["实用性与推广价值"].pk: 5, criteria["经济效益"].pk: 5},
        options={criteria["推荐泰州"].pk: "否"},
        submit=True,
    )
    # (10×30 + 5×25 + 5×25) / 80; 技术难度 is n/a, 推荐泰州 is shown but not in the total.
    assert review.weighted_total == Decimal("6.88")
    assert review.scores.get(criterion=criteria["推荐泰州"]).option == "否"


def test_final_review_takes_the_top_n_of_each_category(campaign, officer, make_reviewer):
    campaign.shortlist_size = 1
    campaign.phase = Phase.EXPERT_REVIEW
    campaign.save()
    for _i in range(4):
        make_reviewer()
    top = ProjectFactory(campaign=campaign, status=Project.Status.SCREENED, money_saved=Decimal("9"))
    second = ProjectFactory(campaign=campaign, status=Project.Status.SCREENED)
    services.assignments_auto(campaign=campaign, by=officer)
    for assignment in ReviewAssignment.objects.all():
        score_all(assignment, value=9 if assignment.project == top else 6)
    services.ranking_compute(campaign=campaign)
    campaign = services.campaign_phase_advance(campaign=campaign, by=officer)
    assert campaign.phase == Phase.FINAL_REVIEW
    services.assignments_auto(campaign=campaign, by=officer, phase=Phase.FINAL_REVIEW)
    final = ReviewAssignment.objects.filter(phase=Phase.FINAL_REVIEW)
    assert set(final.values_list("project_id", flat=True)) == {top.pk}
    assert second.assignments.filter(phase=Phase.FINAL_REVIEW).count() == 0
