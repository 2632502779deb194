import pytest
from django.urls import reverse

from apps.accounts.services import user_role_add
from apps.tenthings.tests.factories import UserFactory
from apps.tenthings.tests.test_pages import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    user = UserFactory()
    user_role_add(user=user, role="leader")
    return user


def test_requires_login_and_the_leader_role(client):
    make_plan(items=1, indicators=1, reports=1)
    url = reverse("dashboard:index")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(url).status_code == 200


def test_dashboard_runs_a_fixed_number_of_queries(client, leader, django_assert_max_num_queries):
    make_plan(year=2023, items=2, indicators=1, reports=1)
    client.force_login(leader)
    with django_assert_max_num_queries(14):
        small = client.get(reverse("dashboard:index") + "?year=2023")
    make_plan(year=2022, items=10, indicators=5, reports=6)
    with django_assert_max_num_queries(14):
        big = client.get(reverse("dashboard:index") + "?year=2022")
    assert small.status_code == big.status_code == 200
    assert "牵头部门完成率排名" in big.content.decode()


def test_lagging_items_come_first_and_export_works(client, leader):
    from decimal import Decimal

    from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory, ReportFactory

    plan = PlanFactory(year=2023)
    done = IndicatorFactory(item=ItemFactory(plan=plan, number=1), target=Decimal("10"))
    ReportFactory(indicator=done, amount=Decimal("10"), reported_on=plan_date(plan))
    IndicatorFactory(item=ItemFactory(plan=plan, number=2))
    client.force_login(leader)
    response = client.get(reverse("dashboard:index") + "?year=2023")
    assert [p.item.number for p in response.context["ordered"]] == [2, 1]
    export = client.get(reverse("dashboard:export") + "?year=2023")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def plan_date(plan):
    import datetime

    return datetime.date(plan.year, 12, 20)
