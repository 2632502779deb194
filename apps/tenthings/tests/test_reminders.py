import datetime
from decimal import Decimal

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.reminders.models import Notification
from apps.tenthings import services
from apps.tenthings.models import Task

from .factories import IndicatorFactory, ItemFactory, MilestoneFactory, PlanFactory, ReportFactory

pytestmark = pytest.mark.django_db

# The services take ``today``: these tests freeze it on purpose in a 2026 plan, because the
# natural keys they check name a month (2026-11) and an ISO week (2026-W48).


def test_monthly_request_reaches_each_responsible_person_once():
    plan = PlanFactory(year=2026)
    unfinished = IndicatorFactory(item=ItemFactory(plan=plan, number=1))
    finished = IndicatorFactory(item=ItemFactory(plan=plan, number=2), target=Decimal("5"))
    ReportFactory(indicator=finished, amount=Decimal("5"), reported_on=datetime.date(2026, 3, 1))
    ItemFactory(plan=plan, number=3, responsible=None)
    today = datetime.date(2026, 11, 1)
    assert services.report_requests_send(today=today) == 1
    assert services.report_requests_send(today=today) == 0  # a rerun sends nothing
    note = Notification.objects.get()
    assert note.user == unfinished.item.responsible
    assert note.key == f"tenthings.report_request:2026-11:item-{unfinished.item.pk}"
    assert services.report_requests_send(today=datetime.date(2026, 12, 1)) == 1  # next month: again


def test_overdue_milestone_and_task_alerts_are_sent_once():
    plan = PlanFactory(year=2026)
    ms = MilestoneFactory(item=ItemFactory(plan=plan), due_date=datetime.date(2026, 6, 30))
    done = MilestoneFactory(item=ms.item, due_date=datetime.date(2026, 6, 30))
    ReportFactory(indicator=done, amount=None, milestone_done=True, reported_on=datetime.date(2026, 6, 1))
    Task.objects.create(item=ms.item, what="选址", who="服务中心", due_date=datetime.date(2026, 7, 1))
    today = datetime.date(2026, 11, 24)
    assert services.overdue_alerts_send(today=today) == 2
    assert services.overdue_alerts_send(today=today) == 0
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"tenthings.overdue:indicator-{ms.pk}" in keys and f"tenthings.overdue:indicator-{done.pk}" not in keys


def test_weekly_digest_goes_to_leaders_once_a_week(user_with_role):
    plan = PlanFactory(year=2026)
    IndicatorFactory(item=ItemFactory(plan=plan))
    leader = user_with_role("leader")
    UserFactory()  # not a leader
    today = datetime.date(2026, 11, 23)
    assert services.leader_digest_send(today=today) == 1
    assert services.leader_digest_send(today=today + datetime.timedelta(days=2)) == 0
    note = leader.notifications.get()
    assert note.key == "tenthings.digest:2026-W48" and "严重滞后" in note.body
