"""The app contract: metrics, dashboard figures, roles, demo data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core import registry
from apps.legal_aid.models import DisputeCase, LedgerEntry, LegalEvent, LegalStation
from apps.tenthings.tests.factories import IndicatorFactory

from .factories import (
    ConsultationFactory,
    DisputeCaseFactory,
    LedgerEntryFactory,
    LegalEventFactory,
    LegalStationFactory,
)

pytestmark = pytest.mark.django_db

KEYS = ("legal_aid.grassroots_stations", "legal_aid.events_held", "legal_aid.people_served")


def test_metrics_are_zero_for_a_year_with_no_data():
    for key in KEYS:
        assert registry.metric_value(key, 2019) == Decimal("0")


def test_metrics_count_what_they_say():
    LegalStationFactory(kind="grassroots", opened_on=datetime.date(2024, 3, 1))
    LegalStationFactory(kind="grassroots", opened_on=datetime.date(2025, 3, 1))
    LegalStationFactory(kind="grassroots", status="planned", status_reason="筹建", opened_on=None)
    LegalStationFactory(kind="flagship", opened_on=datetime.date(2021, 3, 1))
    LegalStationFactory(
        kind="grassroots",
        status="closed",
        status_reason="撤并",
        opened_on=datetime.date(2023, 1, 1),
        closed_on=datetime.date(2024, 6, 1),
    )
    LegalEventFactory(status="held", starts_at=timezone.make_aware(datetime.datetime(2024, 5, 1, 9)))
    LegalEventFactory(status="cancelled", starts_at=timezone.make_aware(datetime.datetime(2024, 5, 2, 9)))
    flagship = LegalStationFactory(kind="flagship", opened_on=datetime.date(2021, 3, 1))
    LedgerEntryFactory(station=flagship, people=30, date=datetime.date(2024, 1, 2))
    LedgerEntryFactory(station=flagship, people=12, date=datetime.date(2024, 12, 31))
    LedgerEntryFactory(station=flagship, people=99, date=datetime.date(2023, 12, 31))
    assert registry.metric_value("legal_aid.grassroots_stations", 2024) == 1
    assert registry.metric_value("legal_aid.grassroots_stations", 2023) == 1
    assert registry.metric_value("legal_aid.events_held", 2024) == 1
    assert registry.metric_value("legal_aid.people_served", 2024) == 42


def test_figures_render_for_an_empty_year_and_with_data(django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        group = registry_group(2019)
    assert {f.key for f in group.figures} >= {"grassroots_stations", "events_held", "people_served"}
    assert all(f.definition for f in group.figures)
    assert group.order == 50 and len(group.tables) == 3
    year = timezone.localdate().year
    for _i in range(5):
        ConsultationFactory(first_response_at=timezone.now() + datetime.timedelta(hours=2))
        DisputeCaseFactory(amount_claimed=Decimal("100"))
    with django_assert_max_num_queries(10):
        group = registry_group(year)
    figures = {f.key: f for f in group.figures}
    assert figures["amount_claimed"].value == Decimal("500")
    assert figures["median_first_response"].value == pytest.approx(2, abs=0.1)


def test_item_9_targets_come_from_the_years_plan_and_are_judged_by_the_one_status_rule():
    # 2024 is closed: a target reached is done, one missed is unfinished, whatever today is.
    IndicatorFactory(item__plan__year=2024, metric_key="legal_aid.people_served", target=Decimal("10000"))
    IndicatorFactory(item__plan__year=2024, metric_key="legal_aid.events_held", target=Decimal("100"))
    LedgerEntryFactory(people=10_400, date=datetime.date(2024, 6, 1))
    LegalEventFactory(status="held", starts_at=timezone.make_aware(datetime.datetime(2024, 5, 1, 9)))
    figures = {f.key: f for f in registry_group(2024).figures}
    assert (figures["people_served"].target, figures["people_served"].status) == (Decimal("10000"), "ok")
    assert (figures["events_held"].target, figures["events_held"].status) == (Decimal("100"), "bad")
    # No indicator of the plan links the station count: no target, no status.
    assert (figures["grassroots_stations"].target, figures["grassroots_stations"].status) == (None, "")
    # Another year's plan says nothing about 2024's figures.
    assert all(f.target is None for f in registry_group(2023).figures)


def registry_group(year):
    from django.apps import apps

    return apps.get_app_config("legal_aid").dashboard_figures(year)


def test_roles_are_declared_with_their_names():
    roles = registry.roles()
    assert {"lawyer", "legal_officer", "mediator"} <= set(roles)
    assert roles["legal_officer"].staff
    assert "legal_aid.view_private_records" in roles["legal_officer"].permissions
    leader = registry.role_permissions()["leader"]
    assert not any(p.endswith(("consultation", "disputecase", "private_records", "legalaidaudit")) for p in leader)


def test_demo_matches_the_ten_things_progress_and_is_idempotent():
    from apps.accounts import demo as accounts_demo
    from apps.core import demo as core_demo
    from apps.legal_aid.demo import load

    out = io.StringIO()
    core_demo.load(out)
    accounts_demo.load(out)
    load(out)
    load(out)
    assert registry.metric_value("legal_aid.grassroots_stations", 2024) == 19
    assert registry.metric_value("legal_aid.events_held", 2024) == 82
    assert registry.metric_value("legal_aid.people_served", 2024) == 10_400
    assert LegalStation.objects.filter(kind="grassroots").count() == 26
    assert LegalEvent.objects.filter(kind="court_class", series_number=8).get().news_url
    assert set(DisputeCase.objects.values_list("stage", flat=True)) >= {
        "intake",
        "mediating",
        "settled",
        "failed",
        "arbitration",
        "litigation",
        "withdrawn",
        "closed",
    }
    assert LedgerEntry.objects.filter(date__year=2024, is_demo=False).count() == 0
