import datetime
from decimal import Decimal

import factory

from apps.accounts.tests.factories import UserFactory
from apps.core.models import Organization
from apps.core.tests.factories import OrganizationFactory
from apps.tenthings.models import Indicator, Item, Plan, ProgressReport


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["year"]

    # 2024 on purpose: a closed year (the seed's plan), which stays closed as the calendar moves.
    # Tests about the current year pass ``year=timezone.localdate().year``.
    year = 2024
    title = factory.LazyAttribute(lambda p: f"{p.year}年十件实事")
    meeting = "市总工会第十七届委员会第二次全体会议"
    published = True


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n % 10 + 1)
    title = factory.Sequence(lambda n: f"实事{n}")
    lead_unit = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.UNION)
    responsible = factory.SubFactory(UserFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    item = factory.SubFactory(ItemFactory)
    name = factory.Sequence(lambda n: f"健康体检{n}")
    kind = Indicator.Kind.QUANTITY
    target = Decimal("600")
    unit = "名"


class MilestoneFactory(IndicatorFactory):
    kind = Indicator.Kind.MILESTONE
    target = None
    unit = ""
    due_date = factory.LazyAttribute(lambda m: datetime.date(m.item.plan.year, 6, 30))


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    indicator = factory.SubFactory(IndicatorFactory)
    reported_on = factory.LazyAttribute(lambda r: datetime.date(r.indicator.item.plan.year, 5, 10))
    amount = Decimal("10")
    narrative = "完成体检"
    reporter = factory.LazyAttribute(lambda r: r.indicator.item.responsible)
    status = ProgressReport.Status.VERIFIED


def make_plan(year=2024, items=10, indicators=3, reports=4) -> Plan:
    """A published plan of ``items`` items, each with ``indicators`` indicators of ``reports`` reports."""
    plan = PlanFactory(year=year)
    for n in range(1, items + 1):
        item = ItemFactory(plan=plan, number=n)
        for _i in range(indicators):
            ind = IndicatorFactory(item=item)
            for r in range(reports):
                ReportFactory(indicator=ind, reported_on=datetime.date(year, r % 9 + 1, 5))
    return plan
