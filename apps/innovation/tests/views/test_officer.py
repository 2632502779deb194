"""The officer's pages: the role gate and flat queries of the campaign list and page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.innovation import services
from apps.innovation.models import Objection, Phase, Project, Publicity

from ..factories import ProjectFactory, TeamMemberFactory, UserFactory, campaign_factory

pytestmark = pytest.mark.django_db


def test_officer_cannot_screen_without_the_role(client, project_in_review, worker):
    client.force_login(worker)
    url = reverse("innovation:manage_action", args=[project_in_review.campaign_id, "screen"])
    assert client.post(url, {"project": project_in_review.pk}).status_code == 403


SIZES = [2, 9]


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
    with django_assert_max_num_queries(6):
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
    with django_assert_max_num_queries(16):
        page = client.get(reverse("innovation:manage_campaign", args=[campaign.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="screen-item"') == size
    assert html.count('name="reviewer"') == size  # one manual-assignment select per project in review
    assert html.count(f'<option value="{reviewers[0].pk}">') == size
