"""Signed-in pages that only the browser journey opened so far: their query counts stay flat
as the data grows (each page is measured at two sizes against one pinned ceiling)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.innovation import services
from apps.innovation.models import Objection, Phase, PointsEntry, PointsRule, Project, Publicity, TeamMember

from .factories import ProjectFactory, TeamMemberFactory, UserFactory, campaign_factory

pytestmark = pytest.mark.django_db

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
    with django_assert_max_num_queries(11):
        page = client.get(reverse("innovation:mine"))
    assert page.status_code == 200
    html = page.content.decode()
    mine = html[html.index('data-testid="my-projects"') : html.index("</ul>", html.index('data-testid="my-projects"'))]
    assert mine.count("<li>") == 2 * size
    assert f'data-testid="balance">{10 * size}<' in html


@pytest.mark.parametrize("size", SIZES)
def test_endorsement_queue_queries_are_flat(client, campaign, union, employer, size, django_assert_max_num_queries):
    for _i in range(size):
        project = ProjectFactory(
            campaign=campaign, employer=employer, status=Project.Status.SUBMITTED, submitted_at=timezone.now()
        )
        TeamMemberFactory(project=project, share=60)
        TeamMemberFactory(project=project, role=TeamMember.Role.MAIN, share=40)
    ProjectFactory(campaign=campaign, status=Project.Status.SUBMITTED)  # another employer's: not shown
    client.force_login(union)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("innovation:endorse_queue"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="endorse-item"') == size


@pytest.mark.parametrize("size", SIZES)
def test_officer_campaign_list_queries_are_flat(client, officer, category, size, django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(size):
        year = today.year - i
        campaign = campaign_factory(
            year=year, categories=[category], opens=datetime.date(year, 3, 1), closes=datetime.date(year, 6, 30)
        )
        ProjectFactory.create_batch(2, campaign=campaign)
    client.force_login(officer)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("innovation:manage"))
    assert page.status_code == 200
    assert page.content.decode().count('class="list-item"') == size


@pytest.mark.parametrize("size", SIZES)
def test_officer_campaign_page_queries_are_flat(
    client, campaign, officer, make_reviewer, size, django_assert_max_num_queries
):
    reviewers = [make_reviewer() for _i in range(3)]
    for _i in range(size):
        endorsed = ProjectFactory(campaign=campaign, status=Project.Status.ENDORSED)
        TeamMemberFactory(project=endorsed)
        ProjectFactory(campaign=campaign, status=Project.Status.SCREENED)
    campaign.phase = Phase.EXPERT_REVIEW
    campaign.save()
    services.assignments_auto(campaign=campaign, by=officer)
    publicity = Publicity.objects.create(
        campaign=campaign, starts=timezone.localdate(), ends=timezone.localdate(), opened_by=officer
    )
    for project in Project.objects.filter(status=Project.Status.UNDER_REVIEW):
        Objection.objects.create(publicity=publicity, project=project, filed_by=UserFactory(), text="异议")
    client.force_login(officer)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("innovation:manage_campaign", args=[campaign.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="screen-item"') == size
    assert html.count('name="reviewer"') == size  # one manual-assignment select per project in review
    assert html.count(f'<option value="{reviewers[0].pk}">') == size
