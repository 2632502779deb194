"""Assigning reviewers, scoring, recusal, locking and the ranking."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.innovation import services
from apps.innovation.models import Phase, PhaseSetting, Project, RankingEntry, Review, ReviewAssignment, Score

from .factories import CategoryFactory, OrganizationFactory, ProjectFactory, TeamMemberFactory, score_all

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


def test_a_review_by_someone_not_assigned_is_refused(project_in_review, make_reviewer, client):
    assignment = project_in_review.assignments.first()
    stranger = make_reviewer()
    with pytest.raises(ValidationError) as exc:
        services.review_save(assignment=assignment, reviewer=stranger, scores={}, submit=False)
    assert exc.value.messages == ["您未被指派评审该项目，不能评分。"]
    assert not Review.objects.exists()
    client.force_login(stranger)
    assert client.get(reverse("innovation:review", args=[assignment.pk])).status_code == 404


def test_scores_lock_when_the_phase_closes(project_in_review, officer):
    assignment = project_in_review.assignments.first()
    review = score_all(assignment, value=7, submit=False)
    services.campaign_phase_advance(campaign=project_in_review.campaign, by=officer)
    review.refresh_from_db()
    assert review.locked
    with pytest.raises(ValidationError) as exc:
        score_all(assignment, value=9, submit=True)
    assert exc.value.messages == ["评审阶段已结束，评分已锁定，不能修改。"]
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and review.weighted_total == Decimal("7.00")


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


def test_aggregate_drops_extremes_from_five_and_flags_disagreement():
    totals = [Decimal(x) for x in ("2", "7", "7.5", "8", "9.5")]
    mean, spread, dropped, disagree = services.aggregate_totals(totals, drop_from=5, threshold=Decimal("3"))
    assert dropped and mean == Decimal("7.50") and spread == Decimal("7.50") and disagree
    mean, spread, dropped, disagree = services.aggregate_totals(totals[1:], drop_from=5, threshold=Decimal("3"))
    assert not dropped and mean == Decimal("8.00") and not disagree


def test_ranking_within_category_breaks_ties_by_documented_benefit(campaign, officer, make_reviewer):
    other_category = CategoryFactory(name="合理化建议")
    campaign.categories.add(other_category)
    reviewers = [make_reviewer() for _ in range(3)]
    small = ProjectFactory(campaign=campaign, money_saved=Decimal("5"), status=Project.Status.SCREENED)
    big = ProjectFactory(campaign=campaign, money_saved=Decimal("50"), status=Project.Status.SCREENED)
    best = ProjectFactory(campaign=campaign, money_saved=Decimal("1"), status=Project.Status.SCREENED)
    alone = ProjectFactory(campaign=campaign, category=other_category, status=Project.Status.SCREENED)
    campaign.phase = Phase.EXPERT_REVIEW
    campaign.save()
    services.assignments_auto(campaign=campaign, by=officer)
    for assignment in ReviewAssignment.objects.all():
        score_all(assignment, value=9 if assignment.project == best else 7)
    assert services.ranking_compute(campaign=campaign) == 4
    ranks = dict(RankingEntry.objects.values_list("project_id", "rank"))
    assert [ranks[best.pk], ranks[big.pk], ranks[small.pk], ranks[alone.pk]] == [1, 2, 3, 1]
    assert len(reviewers) == 3


def test_officer_cannot_screen_without_the_role(client, project_in_review, worker):
    client.force_login(worker)
    url = reverse("innovation:manage_action", args=[project_in_review.campaign_id, "screen"])
    assert client.post(url, {"project": project_in_review.pk}).status_code == 403


def test_team_member_with_account_gets_screened_points_split_by_share(project_in_review, worker):
    assert worker.points_entries.get(rule__code="screened").points == 7
    assert TeamMemberFactory._meta.model.objects.filter(project=project_in_review).count() == 2


def test_an_interim_ranking_leaves_projects_with_pending_reviews_in_review(project_in_review):
    first, *rest = project_in_review.assignments.all()
    score_all(first, value=8)
    assert services.ranking_compute(campaign=project_in_review.campaign) == 1
    project_in_review.refresh_from_db()
    assert project_in_review.status == Project.Status.UNDER_REVIEW
    for assignment in rest:
        score_all(assignment, value=6)
    services.ranking_compute(campaign=project_in_review.campaign)
    project_in_review.refresh_from_db()
    assert project_in_review.status == Project.Status.RANKED
    assert project_in_review.rankings.get().mean == Decimal("6.67")


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


def test_the_owner_can_withdraw_until_the_review_starts(client, campaign, worker, project_in_review):
    draft = ProjectFactory(campaign=campaign, owner=worker)
    client.force_login(worker)
    client.post(reverse("innovation:withdraw", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Project.Status.WITHDRAWN
    client.post(reverse("innovation:withdraw", args=[project_in_review.pk]))
    project_in_review.refresh_from_db()
    assert project_in_review.status == Project.Status.UNDER_REVIEW


def test_the_reviewer_nav_link_counts_pending_reviews(project_in_review):
    from apps.core.registry import nav_links

    reviewer = project_in_review.assignments.first().reviewer
    (mine,) = [link for link in nav_links(reviewer) if link["label"] == "我的评审"]
    assert mine["badge"] == 1
    score_all(project_in_review.assignments.first())
    (mine,) = [link for link in nav_links(reviewer) if link["label"] == "我的评审"]
    assert mine["badge"] is None


@pytest.mark.parametrize(
    ("others", "own_submitted", "visible"),
    [("never", True, False), ("after_own", False, False), ("after_own", True, True), ("always", False, True)],
)
def test_other_reviews_show_as_the_phase_setting_says(others, own_submitted, visible):
    assert PhaseSetting(others_reviews=others).others_visible(own_submitted=own_submitted) is visible


def test_a_new_campaign_reviews_blind_then_shows_others_after_ones_own_in_final_review(campaign):
    settings = {s.phase: s for s in campaign.phase_settings.all()}
    expert, final = settings[Phase.EXPERT_REVIEW], settings[Phase.FINAL_REVIEW]
    assert expert.reviewers_write and expert.hide_identity and expert.others_reviews == PhaseSetting.Others.NEVER
    assert final.reviewers_write and not final.hide_identity and final.others_reviews == PhaseSetting.Others.AFTER_OWN
    assert not settings[Phase.PUBLICITY].reviewers_write
    assert [(c.name, c.weight, c.independent) for c in campaign.criteria.all()][-1] == ("推荐泰州", 0, True)


def test_an_assigned_reviewer_downloads_attachments_until_recusing(project_in_review, client):
    from apps.innovation.models import Attachment

    from .factories import pdf_upload

    attachment = Attachment.objects.create(project=project_in_review, title="效益证明", file=pdf_upload())
    assignment = project_in_review.assignments.first()
    url = reverse("innovation:attachment", args=[attachment.pk])
    client.force_login(assignment.reviewer)
    assert client.get(url).status_code == 200
    services.assignment_recuse(assignment=assignment, reviewer=assignment.reviewer, reason="曾参与该项目")
    assert client.get(url).status_code == 404
