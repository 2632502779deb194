"""A closed year stays closed: a grace date, then a frozen headline with 补报 beside it; verified
reports are withdrawn with a reason (never deleted); every change to a closed year is audited."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.core.audit import audit_entries
from apps.core.status import grace_date
from apps.tenthings import services
from apps.tenthings.models import ItemEvent, ProgressReport
from apps.tenthings.selectors import plan_progress

from .factories import IndicatorFactory, ItemFactory, PlanFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_item():
    """Item 1 of a plan two years back (closed, past its grace date) at 9 of 10."""
    year = timezone.localdate().year - 2
    plan = PlanFactory(year=year)
    item = ItemFactory(plan=plan, number=1)
    indicator = IndicatorFactory(item=item, target=D("10"), unit="场")
    ReportFactory(indicator=indicator, amount=D("9"), reported_on=datetime.date(year, 6, 1))
    return item, indicator


def test_the_grace_date_is_15_january_and_a_setting():
    # A fixed (closed) year on purpose: grace_date is a pure function of the year, no clock read.
    assert grace_date(2024) == datetime.date(2025, 1, 15)
    with override_settings(FIGURES_GRACE_DAY="01-31"):
        assert grace_date(2024) == datetime.date(2025, 1, 31)


def test_within_the_grace_period_a_report_of_the_year_still_counts():
    year = timezone.localdate().year - 1
    plan = PlanFactory(year=year)
    item = ItemFactory(plan=plan, number=1)
    ind = IndicatorFactory(item=item, target=D("10"))
    january = datetime.date(year + 1, 1, 10)
    report = services.report_submit(
        indicator=ind,
        reporter=item.responsible,
        reported_on=datetime.date(year, 12, 30),
        narrative="年底",
        amount=D("10"),
        today=january,
    )
    assert report.late_reason == ""
    services.report_verify(report=report, reviewer=UserFactory(), today=january)
    assert plan_progress(plan, today=january).percent_int == 100


def test_a_late_report_needs_a_reason_and_is_shown_beside_the_frozen_figure(client, closed_item):
    item, ind = closed_item
    year = item.plan.year
    with pytest.raises(ValidationError) as refused:
        services.report_submit(
            indicator=ind,
            reporter=item.responsible,
            reported_on=datetime.date(year, 12, 20),
            narrative="漏报",
            amount=D("1"),
        )
    assert "late_reason" in refused.value.message_dict
    report = services.report_submit(
        indicator=ind,
        reporter=item.responsible,
        reported_on=datetime.date(year, 12, 20),
        narrative="漏报",
        amount=D("1"),
        late_reason="12月活动台账迟交",
    )
    verifier = UserFactory()
    services.report_verify(report=report, reviewer=verifier)
    progress = plan_progress(item.plan)
    assert progress.percent_int == 90  # frozen as of the grace date
    assert progress.late_count == 1 and progress.after_percent_int == 100
    assert progress.items[0].status.label == "未完成"
    body = client.get(reverse("tenthings:year", args=[year])).content.decode()
    assert "截至1月15日 90%；其后补报 1 条，计入后 100%" in body
    page = client.get(reverse("tenthings:item", args=[year, 1])).content.decode()
    assert "截至1月15日 90%；其后补报 1 条，计入后 100%" in page
    assert 'data-testid="event-late"' in page and "12月活动台账迟交" in page
    [entry] = audit_entries(item)
    assert entry.actor == verifier and "补报" in entry.detail


def test_a_verified_report_is_withdrawn_with_a_reason_never_deleted(client):
    year = timezone.localdate().year
    plan = PlanFactory(year=year)
    item = ItemFactory(plan=plan, number=1)
    ind = IndicatorFactory(item=item, target=D("10"), unit="场")
    report = ReportFactory(indicator=ind, amount=D("6"), reported_on=datetime.date(year, 1, 1))
    staff = UserFactory()
    with pytest.raises(ValidationError):
        services.report_withdraw(report=report, actor=staff, reason=" ")
    services.report_withdraw(report=report, actor=staff, reason="重复填报")
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.WITHDRAWN and report.withdraw_reason == "重复填报"
    assert plan_progress(plan).percent_int == 0
    event = ItemEvent.objects.get(item=item, kind=ItemEvent.Kind.WITHDRAW)
    assert (event.old_value, event.new_value, event.note) == ("6 场", "0 场", "重复填报")
    assert "重复填报" in client.get(reverse("tenthings:item", args=[year, 1])).content.decode()
    assert not audit_entries(item).exists()  # a running year: the history is enough


def test_a_withdrawal_after_the_grace_date_leaves_the_frozen_figure_and_is_audited(closed_item):
    item, ind = closed_item
    report = ProgressReport.objects.get(indicator=ind)
    services.report_withdraw(report=report, actor=UserFactory(), reason="台账不实")
    progress = plan_progress(item.plan)
    assert progress.percent_int == 90 and progress.late_count == 1 and progress.after_percent_int == 0
    assert "台账不实" in audit_entries(item).get().detail


def test_the_admin_never_deletes_a_verified_report_and_adds_through_the_rules(closed_item):
    item, ind = closed_item
    admin = site._registry[ProgressReport]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    report = ProgressReport.objects.get(indicator=ind)
    assert not admin.has_delete_permission(request, report)
    assert not admin.has_add_permission(request)  # reports come through report_submit's rules


def test_a_plan_with_an_item_without_indicators_is_not_published(rf):
    from django.contrib.messages.storage.cookie import CookieStorage

    from apps.tenthings.models import Plan

    plan = PlanFactory(year=timezone.localdate().year + 1, published=True)
    ItemFactory(plan=plan, number=1)  # no indicators: it would read 0 % and pull the plan down
    request = rf.post("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    request._messages = CookieStorage(request)

    class Form:
        instance = plan

        def save_m2m(self):
            pass

    site._registry[Plan].save_related(request, Form(), [], True)
    plan.refresh_from_db()
    assert not plan.published
    assert "没有任何指标" in " ".join(str(m) for m in request._messages)


def test_the_verifier_sees_a_late_reports_reason(client, closed_item, user_with_role):
    item, ind = closed_item
    services.report_submit(
        indicator=ind,
        reporter=item.responsible,
        reported_on=datetime.date(item.plan.year, 12, 20),
        narrative="漏报",
        amount=D("1"),
        late_reason="台账迟交",
    )
    client.force_login(user_with_role("tenthings_verifier"))
    body = client.get(reverse("tenthings:review")).content.decode()
    assert 'data-testid="late-reason"' in body and "台账迟交" in body
