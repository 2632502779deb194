"""The declaration wizard, withdrawing, and the worker's own page."""

import pytest
from django.urls import reverse

from apps.innovation.models import PointsEntry, PointsRule, Project
from apps.reminders.models import Notification

from ..factories import ProjectFactory, TeamMemberFactory, draft_project

pytestmark = pytest.mark.django_db


def test_worker_declares_in_steps_and_the_enterprise_union_is_told(client, campaign, worker, union, employer):
    client.force_login(worker)
    response = client.post(
        reverse("innovation:submit"),
        {
            "campaign": campaign.pk,
            "category": campaign.categories.first().pk,
            "title": "配电箱快速接线工装",
            "employer": employer.pk,
            "usage": "trial",
            "source_tags": ["qc"],
        },
    )
    project = Project.objects.get(title="配电箱快速接线工装")
    assert response.url == reverse("innovation:wizard", args=[project.pk, 2])
    assert project.status == Project.Status.DRAFT and project.source_tags == ["qc"]
    client.post(
        reverse("innovation:wizard", args=[project.pk, 2]),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "王班长",
            "form-0-role": "first",
            "form-0-share": "70",
            "form-0-username": "worker",
            "form-1-name": "李师傅",
            "form-1-role": "main",
            "form-1-share": "30",
        },
    )
    client.post(
        reverse("innovation:wizard", args=[project.pk, 3]),
        {"problem": "接线慢", "solution": "快速接线工装", "money_saved": "12.5", "money_method": "工时节约"},
    )
    # Told in the submitting transaction: no after-commit callback has to run.
    client.post(reverse("innovation:wizard", args=[project.pk, 5]))
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    assert list(project.team.values_list("name", "share")) == [("王班长", 70), ("李师傅", 30)]
    assert Notification.objects.filter(user=union, kind="innovation.endorsement").count() == 1


def test_wizard_team_step_shows_the_share_error_and_keeps_the_old_team(client, campaign, worker):
    project = draft_project(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    client.force_login(worker)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "15",
        "form-0-name": "王班长",
        "form-0-role": "first",
        "form-0-share": "50",
        "form-1-name": "李师傅",
        "form-1-role": "main",
        "form-1-share": "20",
    }
    response = client.post(reverse("innovation:wizard", args=[project.pk, 2]), data)
    assert response.status_code == 200
    assert "完成人贡献份额合计必须为 100%，现在是 70%。" in response.content.decode()
    assert list(project.team.values_list("share", flat=True)) == [100]


def test_the_owner_can_withdraw_until_the_review_starts(client, campaign, worker, project_in_review):
    draft = ProjectFactory(campaign=campaign, owner=worker)
    client.force_login(worker)
    client.post(reverse("innovation:withdraw", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Project.Status.WITHDRAWN
    client.post(reverse("innovation:withdraw", args=[project_in_review.pk]))
    project_in_review.refresh_from_db()
    assert project_in_review.status == Project.Status.UNDER_REVIEW


SIZES = [2, 9]


@pytest.mark.parametrize("size", SIZES)
def test_my_innovation_page_queries_are_flat(client, campaign, worker, size, django_assert_max_num_queries):
    rule = PointsRule.objects.create(code="declared", description="申报", points=10)
    for i in range(size):
        own = ProjectFactory(campaign=campaign, owner=worker, employer=worker.employer)
        TeamMemberFactory(project=own, name="王班长", user=worker)
        theirs = ProjectFactory(campaign=campaign)  # a team member of someone else's project
        TeamMemberFactory(project=theirs, name=f"队员{i}", user=worker)
        PointsEntry.objects.create(person=worker, rule=rule, points=10, reason="申报", source=f"t:{i}", year=2024)
    client.force_login(worker)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("innovation:mine"))
    assert page.status_code == 200
    html = page.content.decode()
    mine = html[html.index('data-testid="my-projects"') : html.index("</ul>", html.index('data-testid="my-projects"'))]
    assert mine.count("<li>") == 2 * size
    assert f'data-testid="balance">{10 * size}<' in html
