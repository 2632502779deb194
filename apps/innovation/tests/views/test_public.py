"""Public pages and private records: the index, projects, attachments, the 公示 page."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from apps.core.tests.sitemap_files import every_url
from apps.innovation import services
from apps.innovation.models import Attachment, Award, Project

from ..factories import (
    OrganizationFactory,
    ProjectFactory,
    ServiceVisitFactory,
    TeamMemberFactory,
    TechProblemFactory,
    UserFactory,
    awarded_projects,
    campaign_factory,
    draft_project,
    pdf_upload,
    publicity_since,
)

pytestmark = pytest.mark.django_db


def test_a_confidential_project_is_404_and_absent_from_showcase_and_sitemap(client, campaign):
    (secret,) = awarded_projects(campaign, 1, is_confidential=True, title="企业秘密工艺")
    (shown,) = awarded_projects(campaign, 1, title="公开的小革新")
    draft = ProjectFactory(campaign=campaign, title="还在草稿")
    assert client.get(reverse("innovation:project", args=[secret.pk])).status_code == 404
    assert client.get(reverse("innovation:project", args=[draft.pk])).status_code == 404
    assert client.get(reverse("innovation:project", args=[shown.pk])).status_code == 200
    index = client.get(reverse("innovation:index")).content.decode()
    assert "公开的小革新" in index and "企业秘密工艺" not in index
    sitemap = every_url(client)
    assert f"http://testserver/innovation/projects/{shown.pk}/" in sitemap
    assert not [url for url in sitemap if f"/innovation/projects/{secret.pk}/" in url]
    assert not [url for url in sitemap if f"/innovation/projects/{draft.pk}/" in url]


def test_the_owner_sees_the_status_of_an_unpublished_project(client, campaign, worker):
    project = ProjectFactory(campaign=campaign, owner=worker, status=Project.Status.SUBMITTED)
    client.force_login(worker)
    page = client.get(reverse("innovation:project", args=[project.pk])).content.decode()
    assert "待单位推荐" in page


def test_a_private_project_opens_for_its_people_and_is_404_for_everyone_else(
    client, campaign, worker, union, officer, employer, user_with_role
):
    project = ProjectFactory(campaign=campaign, owner=worker, employer=employer, status=Project.Status.SUBMITTED)
    teammate = UserFactory()
    TeamMemberFactory(project=project, user=teammate)
    other_union = user_with_role("enterprise_union", employer=OrganizationFactory())
    colleague = UserFactory(employer=employer)  # same employer, but not its enterprise union
    url = reverse("innovation:project", args=[project.pk])
    for person, status in [
        (worker, 200),
        (teammate, 200),
        (union, 200),
        (officer, 200),
        (other_union, 404),
        (colleague, 404),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
    client.logout()
    assert client.get(url).status_code == 404


def test_the_2023_figures_show_on_the_index(client, category):
    campaign = campaign_factory(
        year=2023, categories=[category], opens=datetime.date(2023, 3, 1), closes=datetime.date(2023, 6, 30)
    )
    ProjectFactory.create_batch(3, campaign=campaign, status=Project.Status.NOT_AWARDED)
    awarded_projects(campaign, 2)
    Award.objects.create(kind=Award.Kind.WUYI_MEDAL, year=2023, recipient_name="张三")
    page = client.get(reverse("innovation:index")).content.decode()
    block = page[page.index('data-testid="year-2023"') :]
    assert 'data-testid="declared">5<' in block and 'data-testid="taizhou">2<' in block
    assert 'data-testid="medal">1<' in block


@pytest.mark.parametrize("signed_in", [False, True])
def test_public_pages_run_a_fixed_number_of_queries(client, campaign, worker, signed_in, django_assert_max_num_queries):
    """The index, a project, the problems list: anonymous or signed in, at two data sizes."""
    if signed_in:
        client.force_login(worker)
    (project,) = awarded_projects(campaign, 1)
    # The index: its one UNION query, the showcase, studios, problems and the year's plan targets;
    # SQLite cannot slice inside a UNION, so there it runs its three top-N lists on their own.
    limit = 6 if connection.features.supports_slicing_ordering_in_compound else 9
    # Signed in: the session, the user, their roles, their unread count; the site-wide demo
    # notice asks the database once after a write (then the cache).
    limit += 4 * signed_in
    for size in (3, 12):
        awarded_projects(campaign, size)
        for _i in range(size):
            TechProblemFactory()
            ServiceVisitFactory(workers_trained=3)
            TeamMemberFactory(project=project)
        for url in (
            reverse("innovation:index"),
            reverse("innovation:project", args=[project.pk]),
            reverse("innovation:problems"),
        ):
            with django_assert_max_num_queries(limit):
                assert client.get(url).status_code == 200


def test_public_pages_carry_no_csrf_token_for_anonymous_visitors(client, campaign):
    (project,) = awarded_projects(campaign, 1)
    TechProblemFactory()
    for url in (
        reverse("innovation:index"),
        reverse("innovation:project", args=[project.pk]),
        reverse("innovation:problems"),
    ):
        assert "csrfmiddlewaretoken" not in client.get(url).content.decode()


def test_index_shows_the_showcase_awards_service_year_and_leaderboard(client, campaign):
    (project,) = awarded_projects(campaign, 1, title="带电作业工具改进")
    ServiceVisitFactory(date=datetime.date(2024, 9, 20), workers_trained=7)
    page = client.get(reverse("innovation:index")).content.decode()
    assert "带电作业工具改进" in page and f'href="/innovation/projects/{project.pk}/"' in page
    assert "市职工技术创新成果奖 二等奖" in page and "泰州市优秀技术创新成果奖" in page
    assert "2024 年" in page


@pytest.mark.parametrize("size", [1, 8])
def test_project_page_queries_do_not_grow_with_the_team(client, campaign, size, django_assert_max_num_queries):
    (project,) = awarded_projects(campaign, 1)
    for i in range(size):
        Award.objects.create(kind=Award.Kind.PROVINCE, year=2024 + i, project=None, recipient_name=f"人{i}")
        TeamMemberFactory(project=project)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("innovation:project", args=[project.pk])).status_code == 200


def test_a_real_pdf_is_stored_privately_and_only_the_owner_can_download_it(client, campaign, worker, settings):
    project = draft_project(campaign, worker)
    attachment = services.attachment_add(project=project, owner=worker, file=pdf_upload(), title="效益证明")
    assert attachment.file.name.endswith(".pdf")
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    url = reverse("innovation:attachment", args=[attachment.pk])
    client.force_login(worker)
    assert client.get(url).status_code == 200

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_an_assigned_reviewer_downloads_attachments_until_recusing(project_in_review, client):

    from ..factories import pdf_upload

    attachment = Attachment.objects.create(project=project_in_review, title="效益证明", file=pdf_upload())
    assignment = project_in_review.assignments.first()
    url = reverse("innovation:attachment", args=[attachment.pk])
    client.force_login(assignment.reviewer)
    assert client.get(url).status_code == 200
    services.assignment_recuse(assignment=assignment, reviewer=assignment.reviewer, reason="曾参与该项目")
    assert client.get(url).status_code == 404


def test_publicity_page_form_is_for_signed_in_people_only(
    client, decided, officer, worker, django_assert_max_num_queries
):
    publicity_since(decided, officer, days_ago=1)
    url = reverse("innovation:publicity", args=[decided.campaign.year])
    page = client.get(url).content.decode()
    assert decided.title in page
    assert "csrfmiddlewaretoken" not in page and "<form" not in page and "?next=" in page
    client.force_login(worker)
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert f'<option value="{decided.pk}">' in page and "csrfmiddlewaretoken" in page
    page = client.post(url, {"project": decided.pk, "text": ""}).content.decode()
    assert 'class="error"' in page and f'<option value="{decided.pk}" selected>' in page
    response = client.post(url, {"project": decided.pk, "text": "完成人名单有误"})
    assert response.status_code == 302
    assert decided.objections.filter(filed_by=worker).exists()
