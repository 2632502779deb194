import pytest
from django.utils import timezone

from apps.innovation import services
from apps.innovation.models import AwardLevel, Phase, PointsRule, Project, ReviewAssignment

from .factories import (
    CategoryFactory,
    OrganizationFactory,
    ProjectFactory,
    ReviewerProfileFactory,
    TeamMemberFactory,
    UserFactory,
    campaign_factory,
    score_all,
)


@pytest.fixture
def rules(db):
    for code, points, split in [
        ("declared", 10, True),
        ("screened", 10, True),
        ("city_award_first", 100, True),
        ("city_award_second", 80, True),
        ("city_award_third", 60, True),
        ("city_award_excellent", 30, True),
        ("taizhou_award", 150, True),
        ("problem_solved", 40, False),
    ]:
        PointsRule.objects.get_or_create(
            code=code, defaults={"description": code, "points": points, "split_by_share": split}
        )


@pytest.fixture
def category(db):
    return CategoryFactory(code="xiao-gexin", name="小革新")


@pytest.fixture
def campaign(category):
    return campaign_factory(categories=[category], min_reviewers=3)


@pytest.fixture
def employer(db):
    return OrganizationFactory(name="国网兴化市供电公司")


@pytest.fixture
def worker(employer):
    return UserFactory(username="worker", real_name="王班长", employer=employer)


@pytest.fixture
def officer(user_with_role):
    return user_with_role("innovation_officer", username="officer", real_name="小陆")


@pytest.fixture
def union(user_with_role, employer):
    return user_with_role("enterprise_union", username="entunion", real_name="老冯", employer=employer)


@pytest.fixture
def make_reviewer(user_with_role):
    def make(employer=None, username=None, specialties=()):
        user = user_with_role("reviewer", **({"username": username} if username else {}))
        profile = ReviewerProfileFactory(user=user, **({"employer": employer} if employer else {}))
        profile.specialties.set(specialties)
        return user

    return make


@pytest.fixture
def project_in_review(campaign, worker, make_reviewer, officer, rules):
    """A screened project in 专家评审 with three reviewers from other employers."""
    project = ProjectFactory(campaign=campaign, owner=worker, employer=worker.employer, status=Project.Status.ENDORSED)
    TeamMemberFactory(project=project, name="王班长", user=worker, share=70)
    TeamMemberFactory(project=project, name="李师傅", role="main", share=30)
    services.project_screen(project=project, by=officer)
    for _i in range(3):
        make_reviewer()
    campaign.phase = Phase.SCREENING
    campaign.save()
    services.campaign_phase_advance(campaign=campaign, by=officer)
    services.assignments_auto(campaign=campaign, by=officer)
    project.refresh_from_db()
    return project


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def decided(project_in_review, officer):
    """The project in review, scored 8 by each reviewer, ranked and decided a first prize."""
    for assignment in project_in_review.assignments.all():
        score_all(assignment, value=8)
    services.ranking_compute(campaign=project_in_review.campaign)
    services.decision_record(project=project_in_review, level=AwardLevel.FIRST, by=officer)
    project_in_review.refresh_from_db()
    return project_in_review


@pytest.fixture
def big_review(campaign, officer, make_reviewer):
    """make(n): n screened projects reviewed by five experts each, scored and ranked."""

    def make(n_projects):
        reviewers = [make_reviewer() for _ in range(5)]
        for _i in range(n_projects):
            ProjectFactory(campaign=campaign, status=Project.Status.SCREENED)
        campaign.phase = Phase.EXPERT_REVIEW
        campaign.min_reviewers = 5
        campaign.save()
        services.assignments_auto(campaign=campaign, by=officer)
        for assignment in ReviewAssignment.objects.select_related("project__campaign", "reviewer"):
            score_all(assignment, value=5 + assignment.reviewer_id % 5)
        services.ranking_compute(campaign=campaign)
        return reviewers

    return make
