"""What other apps see of membership: person facts, figures with definitions, the metric, demo."""

import io

import pytest
from django.utils import timezone

from apps.accounts.models import Occupation
from apps.core import registry
from apps.membership import services

from .factories import WorkerFactory, staff_of, submit

pytestmark = pytest.mark.django_db


def test_person_facts_say_member_union_and_since(hierarchy, user_with_role):
    staff = staff_of(hierarchy.chain_union, user_with_role)
    worker = WorkerFactory(occupation=Occupation.COURIER)
    assert registry.person_facts(worker)["member"] is False
    member = services.application_accept(
        application_id=submit(worker, town=hierarchy.town, employer=hierarchy.chain, occupation="courier").pk, by=staff
    )
    worker = type(worker).objects.get(pk=worker.pk)  # the facts are kept per request
    facts = registry.person_facts(worker)
    assert facts["member"] is True and facts["union_id"] == hierarchy.chain_union.pk
    assert facts["union_ids"] == [hierarchy.chain_union.pk, hierarchy.town_union.pk, hierarchy.city.pk]
    assert facts["member_since"] == member.since and facts["member_number"] == member.number
    assert facts["occupation_group"] == "new_form" and facts["new_form_worker"] is True
    services.member_leave(member_id=member.pk, by=staff, reason="离职")
    worker = type(worker).objects.get(pk=worker.pk)
    assert registry.person_facts(worker)["member"] is False


def test_dashboard_figures_count_joining_and_decisions_with_definitions(hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    for _ in range(3):
        services.application_accept(
            application_id=submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER).pk, by=staff
        )
    submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.FACTORY, employer=hierarchy.chain)
    year = timezone.localdate().year
    group = next(g for g in registry.dashboard_figures(year) if g.key == "membership")
    figures = {f.key: f for f in group.figures}
    assert figures["members"].value == 3 and figures["joined"].value == 3
    assert figures["new_form_joined"].value == 3
    assert figures["within_deadline"].value == 100 and figures["median_days"].value == 0
    assert all(f.definition for f in group.figures)
    tables = dict(group.tables)
    assert ("兴化市快递行业工会", 3) in tables["会员按工会"] and ("快递员", 3) in tables["会员按职业"]
    assert registry.metric_value("membership.new_form_joined", year) == 3
    assert registry.metric_value("membership.new_form_served_all", year) >= 3


def test_figures_compute_for_a_year_with_no_data():
    group = next(g for g in registry.dashboard_figures(1999) if g.key == "membership")
    assert {f.key: f.value for f in group.figures}["joined"] == 0


def test_the_demo_loads_twice_without_changes_and_marks_its_records():
    from apps.core.demo import load as core_load
    from apps.membership.demo import load
    from apps.membership.models import Application, LedgerEntry, Member, UnionSetupRequest

    core_load(io.StringIO())
    load(io.StringIO())
    counts = [m.objects.count() for m in (Application, Member, LedgerEntry, UnionSetupRequest)]
    load(io.StringIO())
    assert counts == [m.objects.count() for m in (Application, Member, LedgerEntry, UnionSetupRequest)]
    assert counts[0] == 5 and Application.objects.open().count() == 2
    assert not Application.objects.filter(is_demo=False).exists() and not Member.objects.filter(is_demo=False).exists()
    from apps.core.models import Organization

    courier = Organization.objects.get(name="兴化市快递行业工会")
    assert courier.is_demo and courier.industry == "courier"
    assert Organization.objects.get(name="国网兴化市供电公司").covered_by.name == "国网兴化市供电公司工会"
