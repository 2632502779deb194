"""Public pages, the sitemap, query counts at two data sizes, the app contract and reminders."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core import registry
from apps.core.tests.sitemap_files import every_url
from apps.innovation import services
from apps.innovation.models import Award, AwardLevel, Phase, Project, ReviewAssignment, TechProblem
from apps.reminders.models import Notification

from .factories import (
    OrganizationFactory,
    ProjectFactory,
    ServiceVisitFactory,
    TeamMemberFactory,
    TechProblemFactory,
    campaign_factory,
    score_all,
)

pytestmark = pytest.mark.django_db


def _awarded(campaign, n, **fields):
    projects = []
    for _i in range(n):
        project = ProjectFactory(campaign=campaign, status=Project.Status.AWARDED, **fields)
        TeamMemberFactory(project=project)
        Award.objects.create(kind=Award.Kind.CITY, level=AwardLevel.SECOND, year=campaign.year, project=project)
        Award.objects.create(kind=Award.Kind.TAIZHOU_PROJECT, year=campaign.year, project=project)
        projects.append(project)
    return projects


def test_a_confidential_project_is_404_and_absent_from_showcase_and_sitemap(client, campaign):
    (secret,) = _awarded(campaign, 1, is_confidential=True, title="企业秘密工艺")
    (shown,) = _awarded(campaign, 1, title="公开的小革新")
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


def test_the_2023_figures_show_on_the_index(client, category):
    campaign = campaign_factory(
        year=2023, categories=[category], opens=datetime.date(2023, 3, 1), closes=datetime.date(2023, 6, 30)
    )
    ProjectFactory.create_batch(3, campaign=campaign, status=Project.Status.NOT_AWARDED)
    _awarded(campaign, 2)
    Award.objects.create(kind=Award.Kind.WUYI_MEDAL, year=2023, recipient_name="张三")
    page = client.get(reverse("innovation:index")).content.decode()
    block = page[page.index('data-testid="year-2023"') :]
    assert 'data-testid="declared">5<' in block and 'data-testid="taizhou">2<' in block
    assert 'data-testid="medal">1<' in block


@pytest.mark.parametrize("signed_in", [False, True])
def test_public_pages_stay_within_eight_queries(client, campaign, worker, signed_in, django_assert_max_num_queries):
    """The index, a project, the problems list: anonymous or signed in, at two data sizes."""
    if signed_in:
        client.force_login(worker)
    (project,) = _awarded(campaign, 1)
    # SQLite cannot slice inside a UNION: the index then runs its three top-N lists on their own.
    limit = 8 if connection.features.supports_slicing_ordering_in_compound else 11
    # Signed in, the site-wide demo notice asks the database once after a write (then the cache).
    limit += signed_in
    for size in (3, 12):
        _awarded(campaign, size)
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
    (project,) = _awarded(campaign, 1)
    TechProblemFactory()
    for url in (
        reverse("innovation:index"),
        reverse("innovation:project", args=[project.pk]),
        reverse("innovation:problems"),
    ):
        assert "csrfmiddlewaretoken" not in client.get(url).content.decode()


def test_index_shows_the_showcase_awards_service_year_and_leaderboard(client, campaign):
    (project,) = _awarded(campaign, 1, title="带电作业工具改进")
    ServiceVisitFactory(date=datetime.date(2024, 9, 20), workers_trained=7)
    page = client.get(reverse("innovation:index")).content.decode()
    assert "带电作业工具改进" in page and f'href="/innovation/projects/{project.pk}/"' in page
    assert "市职工技术创新成果奖 二等奖" in page and "泰州市优秀技术创新成果奖" in page
    assert "2024 年" in page


@pytest.mark.parametrize("size", [1, 8])
def test_project_page_queries_do_not_grow_with_the_team(client, campaign, size, django_assert_max_num_queries):
    (project,) = _awarded(campaign, 1)
    for i in range(size):
        Award.objects.create(kind=Award.Kind.PROVINCE, year=2024 + i, project=None, recipient_name=f"人{i}")
        TeamMemberFactory(project=project)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("innovation:project", args=[project.pk])).status_code == 200


@pytest.fixture
def big_review(campaign, officer, make_reviewer):
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


def test_metrics_are_zero_for_a_year_with_no_data_and_count_what_they_say(db):
    for key in ("innovation.service_visits", "innovation.problems_solved", "innovation.people_trained"):
        assert registry.metric_value(key, 1999) == 0
    ServiceVisitFactory(date=datetime.date(2024, 3, 8), workers_trained=98)
    ServiceVisitFactory(date=datetime.date(2024, 5, 8), workers_trained=28)
    ServiceVisitFactory(date=datetime.date(2023, 5, 8), workers_trained=5)
    TechProblemFactory(status=TechProblem.Status.IN_PROGRESS)
    assert registry.metric_value("innovation.service_visits", 2024) == 2
    assert registry.metric_value("innovation.people_trained", 2024) == 126
    assert registry.metric_value("innovation.problems_solved", 2024) == 0


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_figures_render_with_definitions_in_fixed_queries(campaign, size, django_assert_max_num_queries):
    _awarded(campaign, size)
    from django.apps import apps

    with django_assert_max_num_queries(10):  # nine of innovation's, one for the plan's targets
        ours = apps.get_app_config("innovation").dashboard_figures(campaign.year)
    assert ours.key == "innovation"
    figures = {f.key: f for f in ours.figures}
    assert ours.order == 60
    assert figures["awarded"].value == size
    assert figures["visits"].target is None and figures["visits"].status == ""  # no plan this year: no target
    assert all(str(f.definition) for f in ours.figures)
    tables = {str(title): dict(rows) for title, rows in ours.tables}
    assert tables["按类别申报"] == {"小革新": size}


def test_reminders_are_sent_once(officer, union, category, employer, worker):
    today = timezone.localdate()
    campaign = campaign_factory(categories=[category], closes=today + datetime.timedelta(days=2))
    ProjectFactory(campaign=campaign, owner=worker, employer=employer)
    TechProblemFactory(posted_on=today - datetime.timedelta(days=31))
    from apps.innovation.models import SpecialContract

    SpecialContract.objects.create(
        enterprise=employer, signed_on=today.replace(year=today.year - 1) + datetime.timedelta(days=30), term_years=1
    )
    first = services.reminders_send(today=today)
    assert first["entries_open"] >= 1 and first["entries_closing"] == 1
    assert first["problem"] == 1 and first["contract"] >= 2
    again = services.reminders_send(today=today)
    assert sum(again.values()) == 0
    assert Notification.objects.filter(user=worker, kind="innovation.entries").count() == 1


def test_review_due_reminders_in_3_and_1_days_and_overdue(project_in_review, officer):
    campaign = project_in_review.campaign
    today = timezone.localdate()
    campaign.review_due = today + datetime.timedelta(days=3)
    campaign.save()
    assert services.reminders_send(today=today)["review_due"] == 3
    assert services.reminders_send(today=today + datetime.timedelta(days=2))["review_due"] == 3
    assert services.reminders_send(today=today + datetime.timedelta(days=2))["review_due"] == 0
    assert services.reminders_send(today=today + datetime.timedelta(days=4))["overdue"] >= 1


def test_a_private_project_opens_for_its_people_and_is_404_for_everyone_else(
    client, campaign, worker, union, officer, employer
):
    from apps.accounts.services import user_role_add

    from .factories import UserFactory

    project = ProjectFactory(campaign=campaign, owner=worker, employer=employer, status=Project.Status.SUBMITTED)
    teammate = UserFactory()
    TeamMemberFactory(project=project, user=teammate)
    other_union = UserFactory(employer=OrganizationFactory())
    user_role_add(user=other_union, role="enterprise_union")
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


def test_item4_targets_and_statuses_come_from_the_years_plan(campaign, monkeypatch):
    from django.apps import apps

    year = campaign.year
    ServiceVisitFactory.create_batch(3, date=datetime.date(year, 1, 1), workers_trained=1)
    # What the plan answers (through the registry): one indicator linked, on service visits.
    plan = {year: {"innovation.service_visits": Decimal("3.00")}}
    monkeypatch.setattr(registry, "metric_targets", lambda y: plan.get(y, {}))
    figures = {f.key: f for f in apps.get_app_config("innovation").dashboard_figures(year).figures}
    assert (figures["visits"].value, figures["visits"].target, figures["visits"].status) == (3, 3, "ok")
    assert (figures["trained"].target, figures["trained"].status) == (None, "")
    earlier = {f.key: f for f in apps.get_app_config("innovation").dashboard_figures(year - 1).figures}
    assert earlier["visits"].target is None
    page = Client().get(reverse("innovation:index")).content.decode()
    assert "3<small> / 3 次</small>" in page and "3<small> 人次</small>" in page
