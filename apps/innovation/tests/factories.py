import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory  # noqa: F401  (one factory per model: accounts owns it)
from apps.core.tests.factories import OrganizationFactory  # noqa: F401
from apps.innovation import services
from apps.innovation.models import (
    Award,
    AwardLevel,
    Category,
    PointsRule,
    Project,
    ReviewerProfile,
    ServiceVisit,
    TeamMember,
    TechProblem,
)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    sort_order = factory.Sequence(lambda n: n)


def campaign_factory(*, year=None, categories=None, opens=None, closes=None, **fields):
    """A campaign through the service, so it has the default phase settings and rubric."""
    today = timezone.localdate()
    categories = categories if categories is not None else [CategoryFactory()]
    return services.campaign_create(
        year=year or today.year,
        name=f"{year or today.year}年“三十、五小”",
        entry_opens=opens or today - datetime.timedelta(days=10),
        entry_closes=closes or today + datetime.timedelta(days=10),
        categories=categories,
        **fields,
    )


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    campaign = None
    category = factory.LazyAttribute(lambda p: p.campaign.categories.first())
    title = factory.Sequence(lambda n: f"创新项目{n}")
    summary = "一句话简介"
    employer = factory.SubFactory(OrganizationFactory)
    owner = factory.SubFactory(UserFactory)
    problem = "问题"
    solution = "方案"
    money_saved = Decimal("10")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    name = factory.Sequence(lambda n: f"完成人{n}")
    role = TeamMember.Role.FIRST
    share = 100


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    user = factory.SubFactory(UserFactory)
    employer = factory.SubFactory(OrganizationFactory)
    max_load = 50


class PointsRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointsRule
        django_get_or_create = ["code"]

    code = "declared"
    description = "申报"
    points = 10
    split_by_share = True


class ServiceVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceVisit

    date = factory.LazyFunction(timezone.localdate)
    enterprise = factory.SubFactory(OrganizationFactory)
    topic = "技术服务"
    workers_trained = 0


class TechProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechProblem

    enterprise = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"技术难题{n}")
    posted_on = factory.LazyFunction(timezone.localdate)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="proof.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def score_all(assignment, value=8, submit=True):
    criteria = list(assignment.project.campaign.criteria.all())
    return services.review_save(
        assignment=assignment,
        reviewer=assignment.reviewer,
        scores={c.pk: value for c in criteria if not c.independent},
        options={c.pk: "是" for c in criteria if c.independent},
        submit=submit,
    )


def awarded_projects(campaign, n, **fields):
    """n awarded projects of a campaign, each with a team member, a city second prize and a Taizhou award."""
    projects = []
    for _i in range(n):
        project = ProjectFactory(campaign=campaign, status=Project.Status.AWARDED, **fields)
        TeamMemberFactory(project=project)
        Award.objects.create(kind=Award.Kind.CITY, level=AwardLevel.SECOND, year=campaign.year, project=project)
        Award.objects.create(kind=Award.Kind.TAIZHOU_PROJECT, year=campaign.year, project=project)
        projects.append(project)
    return projects


def draft_project(campaign, worker):
    """A worker's draft for their own employer."""
    return ProjectFactory(campaign=campaign, owner=worker, employer=worker.employer)


def publicity_since(project, officer, days_ago=10):
    """The 公示 of a decided project's campaign, opened ``days_ago`` days ago."""
    return services.publicity_open(
        campaign=project.campaign, by=officer, starts=timezone.localdate() - datetime.timedelta(days=days_ago)
    )
