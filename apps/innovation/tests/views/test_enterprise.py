"""The enterprise union's pages: endorsing its employer's projects."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.innovation import services
from apps.innovation.models import Project, TeamMember

from ..factories import ProjectFactory, TeamMemberFactory, draft_project

pytestmark = pytest.mark.django_db


def test_enterprise_union_endorses_only_its_own_employers_projects(client, campaign, worker, union, rules):
    project = draft_project(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", user=worker, share=100)
    services.project_submit(project=project, owner=worker)
    other = ProjectFactory(campaign=campaign, status=Project.Status.SUBMITTED)
    client.force_login(union)
    assert client.post(reverse("innovation:endorse_action", args=[other.pk])).status_code == 404
    client.post(reverse("innovation:endorse_action", args=[project.pk]), {"note": "同意推荐"})
    project.refresh_from_db()
    assert project.status == Project.Status.ENDORSED
    assert worker.points_entries.get().points == 10


def test_endorsing_with_consent_makes_the_name_public_and_a_refused_endorsement_changes_nothing(
    client, campaign, worker, union, rules
):
    draft = draft_project(campaign, worker)
    client.force_login(union)
    client.post(reverse("innovation:endorse_action", args=[draft.pk]), {"public_consent": "on"})
    draft.refresh_from_db()
    assert draft.status == Project.Status.DRAFT and not draft.public_consent
    project = draft_project(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", user=worker, share=100)
    services.project_submit(project=project, owner=worker)
    client.post(reverse("innovation:endorse_action", args=[project.pk]), {"public_consent": "on", "note": "同意"})
    project.refresh_from_db()
    assert project.status == Project.Status.ENDORSED and project.public_consent


SIZES = [2, 9]


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
    with django_assert_max_num_queries(7):
        page = client.get(reverse("innovation:endorse_queue"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="endorse-item"') == size
