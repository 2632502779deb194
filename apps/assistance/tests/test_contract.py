"""What others see of assistance: aggregates only on the dashboard, the officers' Excel in the
national system's columns, demo data, /me/, the personal data hooks untouched by leaders."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.assistance.models import HelpRequest, LedgerEntry
from apps.core import registry

from .factories import advance, submitted

pytestmark = pytest.mark.django_db


def test_dashboard_figures_are_aggregates_with_definitions(worker, town, union, caseworker, officer):
    from apps.accounts.tests.factories import UserFactory

    helped = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    submitted(UserFactory(town=town), town, applicant_name="王秀英")
    year = timezone.localdate().year
    group = next(g for g in registry.dashboard_figures(year) if g.key == "assistance")
    figures = {f.key: f.value for f in group.figures}
    assert figures["requests"] == 2 and figures["help_count"] == 1
    assert figures["help_amount"] == Decimal("3000") and figures["families"] == 1
    assert figures["recheck_overdue"] == 0 and figures["median_days"] is not None
    tables = dict(group.tables)
    assert ("深度困难", 1) in tables["认定按困难类别"]
    assert all(f.definition for f in group.figures)
    text = repr(group)
    assert "刘建国" not in text and "学费" not in text
    HelpRequest.objects.filter(pk=helped.pk).update(recheck_due_on=timezone.localdate().replace(year=year - 1))
    group = next(g for g in registry.dashboard_figures(year) if g.key == "assistance")
    assert {f.key: f for f in group.figures}["recheck_overdue"].value == 1


def test_a_reversed_payment_is_not_counted(worker, town, union, caseworker, officer):
    from apps.assistance import services

    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    services.help_reverse(entry=LedgerEntry.objects.get(request=hr), by=officer, reason="录错")
    group = next(g for g in registry.dashboard_figures(timezone.localdate().year) if g.key == "assistance")
    figures = {f.key: f.value for f in group.figures}
    assert figures["help_count"] == 0 and figures["help_amount"] == 0


def test_figures_compute_for_a_year_with_no_data():
    group = next(g for g in registry.dashboard_figures(1999) if g.key == "assistance")
    assert {f.key: f.value for f in group.figures}["requests"] == 0


def test_officers_export_the_national_fields_safely(client, worker, town, union, caseworker, officer):
    hr = advance(
        submitted(worker, town, household_members="=HYPERLINK(1)"), caseworker=caseworker, officer=officer, to="helped"
    )
    client.force_login(caseworker)
    assert client.get(reverse("assistance:export")).status_code == 404
    client.force_login(officer)
    response = client.get(reverse("assistance:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert (
        header[:3] == ["档案编号", "户主姓名", "联系电话"] and "困难类别" in header and "累计帮扶金额（元）" in header
    )
    row = [c.value for c in sheet[2]]
    assert row[0] == f"XH-BF-{hr.pk:06d}" and row[header.index("累计帮扶金额（元）")] == 3000
    cell = sheet.cell(row=2, column=header.index("家庭成员及关系") + 1)
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_the_me_panel_shows_the_state_and_help_given(client, worker, town, union, caseworker, officer):
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    client.force_login(worker)
    body = client.get(reverse("accounts:me")).content.decode()
    assert 'data-testid="assistance-me"' in body and "已发放帮扶" in body
    assert "3000" in client.get(hr.get_absolute_url()).content.decode()


def test_the_demo_loads_twice_and_marks_its_records():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    count = HelpRequest.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert HelpRequest.objects.count() == count >= 5
    assert not HelpRequest.objects.filter(is_demo=False).exists()
    assert HelpRequest.objects.in_publicity().count() == 1
    assert set(HelpRequest.objects.values_list("state", flat=True)) >= {"submitted", "publicity", "helped", "returned"}
    assert "帮扶援助" in out.getvalue()


def test_personal_data_and_closing_the_account(worker, town, union, caseworker, officer):
    from apps.assistance.tests.factories import draft

    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    draft(worker, town)
    rows = registry.personal_data(worker)["assistance"]["帮扶申请"]
    assert {row["number"] for row in rows} >= {hr.pk} and rows[0]["applicant_name"] == "刘建国"
    from apps.core.registry import portal_apps

    next(c for c in portal_apps() if c.label == "assistance").personal_data_erase(worker)
    hr.refresh_from_db()
    assert hr.applicant_name == "（已注销）" and hr.phone == "" and hr.story == "" and not hr.documents.exists()
    assert HelpRequest.objects.filter(applicant=worker).count() == 1  # the draft went, the case stays
    assert LedgerEntry.objects.filter(request=hr).count() == 1
