"""The case carried by union staff and the 帮扶中心: screening, visit, check, 公示 of 5 working
days, decision, the append-only ledger, the yearly re-check and closing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.assistance import selectors, services
from apps.assistance.models import Document, HelpRequest, LedgerEntry
from apps.core.models import AuditEntry, CalendarDay
from apps.core.workdays import add_working_days
from apps.reminders.models import Notification

from .factories import advance, pdf, submitted

pytestmark = pytest.mark.django_db


def test_screening_returns_with_a_reason_and_the_worker_resubmits(client, worker, town, union, caseworker):
    hr = submitted(worker, town)
    client.force_login(caseworker)
    body = client.get(hr.get_absolute_url()).content.decode()
    assert 'data-testid="screen-form"' in body
    client.post(reverse("assistance:screen", args=[hr.pk]), {"decision": "return", "reason": ""})
    assert HelpRequest.objects.get(pk=hr.pk).state == "submitted"  # no reason, no return
    client.post(reverse("assistance:screen", args=[hr.pk]), {"decision": "return", "reason": "请补充收入证明"})
    hr.refresh_from_db()
    assert hr.state == "returned" and hr.return_reason == "请补充收入证明"
    assert Notification.objects.filter(user=worker, key__startswith=f"assistance.progress:{hr.pk}:").exists()
    client.force_login(worker)
    assert "请补充收入证明" in client.get(reverse("assistance:step", args=[hr.pk, 1])).content.decode()
    client.post(reverse("assistance:step", args=[hr.pk, 5]), {"consent": "on", "financial_consent": "on"})
    assert HelpRequest.objects.get(pk=hr.pk).state == "submitted"


def test_the_home_visit_needs_two_visitors_and_both_signed_papers(worker, town, union, caseworker):
    hr = services.screen(request=submitted(worker, town), by=caseworker, accept=True)
    base = {
        "request": hr,
        "by": caseworker,
        "visited_on": timezone.localdate(),
        "checklist": ["housing"],
        "notes": "属实",
    }
    with pytest.raises(ValidationError) as error:
        services.visit_record(**base, visitor_one="李干事", visitor_two="", application=pdf(), authorisation=pdf())
    assert "两名工作人员" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.visit_record(**base, visitor_one="李", visitor_two="钱", application=pdf(), authorisation=None)
    assert "核对授权书" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            **base,
            visitor_one="李",
            visitor_two="钱",
            application=pdf(),
            authorisation=SimpleUploadedFile("x.pdf", b"no"),
        )
    assert "不是有效的" in str(error.value)
    assert not Document.objects.filter(request=hr).exists()  # nothing half-saved
    assert HelpRequest.objects.get(pk=hr.pk).state == "accepted"
    services.visit_record(**base, visitor_one="李", visitor_two="钱", application=pdf(), authorisation=pdf())
    hr.refresh_from_db()
    assert hr.state == "visited" and hr.visit.visitor_two == "钱"
    assert set(hr.documents.values_list("kind", flat=True)) == {"application", "authorisation"}


def test_only_officers_check_publish_and_decide(worker, town, union, caseworker, officer):
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="visited")
    with pytest.raises(ValidationError):
        services.check_record(request=hr, by=caseworker, result="match")
    services.check_record(request=hr, by=officer, result="match")
    assert HelpRequest.objects.get(pk=hr.pk).state == "checked"


def test_a_decision_before_the_publicity_has_run_is_refused(worker, town, union, caseworker, officer):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    # A holiday inside the window moves its end: the shared calendar counts working days.
    CalendarDay.objects.create(day=monday + datetime.timedelta(days=2), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="checked")
    hr = services.publicity_open(request=hr, by=officer, band="deep", help_kind="schooling", today=monday)
    assert (hr.publicity_from, hr.publicity_until) == (monday, monday + datetime.timedelta(days=7))
    for day in (monday, hr.publicity_until):
        with pytest.raises(ValidationError) as error:
            services.decide(request=hr, by=officer, band="deep", help_kind="schooling", amount=100, today=day)
        assert "公示期满后才能作出决定" in str(error.value)
    assert HelpRequest.objects.get(pk=hr.pk).state == "publicity"
    after = add_working_days(hr.publicity_until, 1)
    services.decide(request=hr, by=officer, band="deep", help_kind="schooling", amount=Decimal("3000"), today=after)
    hr.refresh_from_db()
    assert hr.state == "decided" and hr.recheck_due_on == after + datetime.timedelta(days=365)
    assert AuditEntry.objects.for_object(hr).filter(action="decide", actor=officer).exists()


def test_the_decide_page_refuses_early_with_a_clear_message(client, worker, town, union, caseworker, officer):
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="publicity")
    client.force_login(officer)
    response = client.post(
        reverse("assistance:decide", args=[hr.pk]),
        {"band": "deep", "help_kind": "schooling", "amount": "100"},
        follow=True,
    )
    assert "公示期满后才能作出决定" in response.content.decode()
    assert HelpRequest.objects.get(pk=hr.pk).state == "publicity"


def test_refusing_needs_a_reason(worker, town, union, caseworker, officer):
    hr = submitted(worker, town)
    with pytest.raises(ValidationError):
        services.refuse(request=hr, by=officer, reason=" ")
    services.refuse(request=hr, by=officer, reason="家庭收入高于标准")
    assert HelpRequest.objects.get(pk=hr.pk).state == "refused"


def test_the_ledger_is_append_only_and_corrections_are_reversing_rows(worker, town, union, caseworker, officer):
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    assert hr.state == "helped"
    row = LedgerEntry.objects.get(request=hr)
    row.amount = Decimal("1")
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pk=row.pk).update(amount=0)
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pk=row.pk).delete()
    reversal = services.help_reverse(entry=LedgerEntry.objects.get(pk=row.pk), by=officer, reason="金额录错")
    assert reversal.amount == Decimal("-3000") and reversal.reverses_id == row.pk
    with pytest.raises(ValidationError):
        services.help_reverse(entry=row, by=officer, reason="again")
    assert selectors.ledger_total(hr) == 0
    with pytest.raises(ValidationError):
        services.help_record(request=hr, by=caseworker, date=timezone.localdate(), kind="cash", amount=10)


def test_the_ledger_admin_refuses_edit_and_delete(client, worker, town, union, caseworker, officer):
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    row = LedgerEntry.objects.get(request=hr)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    page = client.get(reverse("admin:assistance_ledgerentry_change", args=[row.pk]))
    assert page.status_code == 200 and 'name="amount"' not in page.content.decode()
    client.post(reverse("admin:assistance_ledgerentry_change", args=[row.pk]), {"amount": "1"})
    assert (
        client.post(reverse("admin:assistance_ledgerentry_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    )
    assert LedgerEntry.objects.get(pk=row.pk).amount == Decimal("3000")


def test_yearly_recheck_reminds_a_month_before_and_overdue_comes_first(worker, town, union, caseworker, officer):
    from apps.accounts.tests.factories import UserFactory

    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    fresh = submitted(UserFactory(town=town), town, applicant_name="王秀英")
    today = timezone.localdate()
    assert services.recheck_remind(today=today) == 0  # a year away
    month_before = hr.recheck_due_on - datetime.timedelta(days=30)
    assert services.recheck_remind(today=month_before) == 1
    assert services.recheck_remind(today=month_before) == 0  # once per due date
    assert Notification.objects.filter(user=caseworker, key__startswith="assistance.recheck:").count() == 1
    late = hr.recheck_due_on + datetime.timedelta(days=3)
    assert [r.pk for r in selectors.queue(officer, today=late)][:2] == [hr.pk, fresh.pk]
    assert [r.pk for r in selectors.queue(officer, today=today)][0] == fresh.pk
    services.recheck_record(request=hr, by=caseworker, still_eligible=True, today=late)
    hr.refresh_from_db()
    assert hr.state == "follow_up" and hr.recheck_due_on == late + datetime.timedelta(days=365)
    with pytest.raises(ValidationError):
        services.recheck_record(request=hr, by=caseworker, still_eligible=False, note="")
    services.recheck_record(request=hr, by=caseworker, still_eligible=False, note="已脱困")
    hr.refresh_from_db()
    assert hr.state == "closed" and hr.close_reason == "已脱困" and hr.recheck_due_on is None


def test_the_queue_shows_overdue_first_on_the_page(client, worker, town, union, caseworker, officer):
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    HelpRequest.objects.filter(pk=hr.pk).update(recheck_due_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(officer)
    body = client.get(reverse("assistance:queue")).content.decode()
    assert "年度复核超期" in body
