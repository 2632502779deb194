"""Every role finds its work: nav entries, landing pages, notifications, context on the forms."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.core import registry
from apps.reminders.models import Notification
from apps.tenthings import services
from apps.tenthings.models import ProgressReport

from .factories import IndicatorFactory, ItemFactory, MilestoneFactory, PlanFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _links(user):
    return {str(link["label"]): link for link in registry.nav_links(user)}


def test_verifiers_see_pending_reports_with_a_count_and_reporters_see_their_reports(user_with_role):
    verifier = user_with_role("tenthings_verifier")
    reporter = user_with_role("tenthings_reporter")
    worker = UserFactory()
    ind = IndicatorFactory()
    ReportFactory(indicator=ind, status=ProgressReport.Status.SUBMITTED)
    ReportFactory(indicator=ind, status=ProgressReport.Status.SUBMITTED, narrative="第二条")
    ReportFactory(indicator=ind)  # verified: not waiting
    links = _links(verifier)
    assert links["待核实"]["url"] == reverse("tenthings:review") and links["待核实"]["badge"] == 2
    assert "我的填报" not in links
    assert _links(reporter)["我的填报"]["url"] == reverse("tenthings:mine")
    assert "待核实" not in _links(reporter)
    assert {"待核实", "我的填报"}.isdisjoint(_links(worker))


def test_reporters_and_verifiers_land_on_their_work_after_signing_in(client, user_with_role):
    reporter = user_with_role("tenthings_reporter")
    verifier = user_with_role("tenthings_verifier")
    assert registry.landing_url(reporter) == reverse("tenthings:mine")
    assert registry.landing_url(verifier) == reverse("tenthings:review")
    assert registry.landing_url(UserFactory()) is None


def test_submit_tells_the_verifiers_once_and_not_the_reporter(django_capture_on_commit_callbacks, user_with_role):
    verifier = user_with_role("tenthings_verifier")
    direct = UserFactory()  # holds the permission without the role
    from django.contrib.auth.models import Permission

    direct.user_permissions.add(Permission.objects.get(codename="verify_progressreport"))
    bystander = UserFactory()
    ind = IndicatorFactory(item__plan__year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(
            indicator=ind,
            reporter=ind.item.responsible,
            reported_on=datetime.date(2024, 5, 1),
            narrative="新增 10 名",
            amount=Decimal("10"),
            late_reason="2024 年度已关账：补报",
        )
    key = f"tenthings.report_submitted:report-{report.pk}"
    told = set(Notification.objects.filter(key=key).values_list("user", flat=True))
    assert told == {verifier.pk, direct.pk}
    assert bystander.pk not in told and ind.item.responsible_id not in told
    assert services.report_submitted_notify(report_id=report.pk) == 0  # at most once


def test_verify_and_return_tell_the_reporter_once(django_capture_on_commit_callbacks, user_with_role):
    verifier = user_with_role("tenthings_verifier")
    first = ReportFactory(status=ProgressReport.Status.SUBMITTED)
    second = ReportFactory(indicator=first.indicator, status=ProgressReport.Status.SUBMITTED, narrative="另一条")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_verify(report=first, reviewer=verifier, today=datetime.date(2024, 6, 1))
        services.report_return(report=second, reviewer=verifier, comment="请补充照片")
    reporter = first.reporter
    verified = Notification.objects.get(user=reporter, key=f"tenthings.my_report_verified:report-{first.pk}")
    assert verified.url == reverse("tenthings:mine")
    returned = Notification.objects.get(user=reporter, key=f"tenthings.report_returned:report-{second.pk}")
    assert "请补充照片" in returned.body
    assert services.report_verified_notify(report_id=first.pk) == 0
    assert services.report_returned_notify(report_id=second.pk) is False


def test_my_reports_list_by_date_with_the_return_comment(client, user_with_role):
    reporter = user_with_role("tenthings_reporter")
    ind = IndicatorFactory(item__responsible=reporter)
    ReportFactory(indicator=ind, reported_on=datetime.date(2024, 3, 1), narrative="三月")
    ReportFactory(
        indicator=ind,
        reported_on=datetime.date(2024, 9, 1),
        narrative="九月",
        status=ProgressReport.Status.RETURNED,
        review_comment="数字不对",
    )
    ReportFactory(indicator=ind, reported_on=datetime.date(2024, 6, 1), narrative="六月")
    ReportFactory(reported_on=datetime.date(2024, 7, 1))  # someone else's
    client.force_login(reporter)
    response = client.get(reverse("tenthings:mine"))
    body = response.content.decode()
    positions = [body.index(d) for d in ("2024-09-01", "2024-06-01", "2024-03-01")]
    assert positions == sorted(positions)
    assert "2024-07-01" not in body and "数字不对" in body
    assert reverse("tenthings:report", args=[2024, ind.item.number]) in body


def test_report_form_shows_verified_total_target_and_remainder(client):
    ind = IndicatorFactory(item__plan__year=2024, target=Decimal("600"), unit="名")
    ReportFactory(indicator=ind, amount=Decimal("412"))
    ReportFactory(indicator=ind, amount=Decimal("50"), status=ProgressReport.Status.SUBMITTED)  # not counted
    client.force_login(ind.item.responsible)
    response = client.get(reverse("tenthings:report", args=[2024, ind.item.number]))
    body = response.content.decode()
    assert 'data-total="412' in body
    assert '<dd data-testid="ctx-remaining">188 名</dd>' in body
    assert 'name="milestone_done"' not in body  # a quantity-only item has no milestone box
    assert "tenthings_report.js" in body


def test_report_form_of_a_milestone_only_item_has_no_amount():
    from apps.tenthings.forms import ReportForm

    ms = MilestoneFactory()
    form = ReportForm(item=ms.item)
    assert "amount" not in form.fields and "milestone_done" in form.fields


def test_review_page_shows_item_indicator_before_and_after(client, user_with_role):
    verifier = user_with_role("tenthings_verifier")
    ind = IndicatorFactory(target=Decimal("600"), unit="名", name="健康体检")
    ReportFactory(indicator=ind, amount=Decimal("412"))
    pending = ReportFactory(indicator=ind, amount=Decimal("30"), status=ProgressReport.Status.SUBMITTED)
    client.force_login(verifier)
    response = client.get(reverse("tenthings:review"))
    body = response.content.decode()
    assert ind.item.title in body and "健康体检" in body
    assert "412 → <strong>442</strong> 名" in body
    assert f'id="report-{pending.pk}"' in body
    # The return comment sits behind the "退回…" toggle, with its own confirm button.
    assert body.index("退回…") < body.index('name="review_comment"')


def test_returning_without_a_comment_is_refused(client, user_with_role):
    verifier = user_with_role("tenthings_verifier")
    pending = ReportFactory(status=ProgressReport.Status.SUBMITTED)
    client.force_login(verifier)
    client.post(reverse("tenthings:review_decide", args=[pending.pk]), {"decision": "return", "review_comment": ""})
    pending.refresh_from_db()
    assert pending.status == ProgressReport.Status.SUBMITTED


def test_admin_flags_items_without_a_responsible_person(admin_client):
    plan = PlanFactory(year=2024)
    ItemFactory(plan=plan, number=1, responsible=None, title="无人负责的事项")
    ItemFactory(plan=plan, number=2, title="有人负责的事项")
    body = admin_client.get(reverse("admin:tenthings_item_changelist")).content.decode()
    assert "未指定责任人" in body
    only = admin_client.get(reverse("admin:tenthings_item_changelist") + "?responsible_set=no").content.decode()
    assert "无人负责的事项" in only and "有人负责的事项" not in only
