"""The dashboard block: its figures, definitions, queries, and item-4 targets from the plan."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from apps.core import registry

from .factories import ServiceVisitFactory, awarded_projects

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_figures_render_with_definitions_in_fixed_queries(campaign, size, django_assert_max_num_queries):
    awarded_projects(campaign, size)
    from django.apps import apps

    with django_assert_max_num_queries(10):  # nine of innovation's, one for the plan's targets after a write
        ours = apps.get_app_config("innovation").dashboard_figures(campaign.year)
    assert ours.key == "innovation"
    figures = {f.key: f for f in ours.figures}
    assert ours.order == 60
    assert figures["awarded"].value == size
    assert figures["visits"].target is None and figures["visits"].status == ""  # no plan this year: no target
    assert all(str(f.definition) for f in ours.figures)
    tables = {str(title): dict(rows) for title, rows in ours.tables}
    assert tables["按类别申报"] == {"小革新": size}


def test_item4_targets_and_statuses_come_from_the_years_plan(campaign, monkeypatch):
    from django.apps import apps

    year = campaign.year
    ServiceVisitFactory.create_batch(3, date=datetime.date(year, 1, 1), workers_trained=1)
    # What the plan answers (through the registry): one indicator linked, on service visits.
    plan = {year: {"innovation.service_visits": Decimal("3.00")}}
    monkeypatch.setattr(registry, "metric_targets", lambda y: plan.get(y, {}))
    figures = {f.key: f for f in apps.get_app_config("innovation").dashboard_figures(year).figures}
    assert (figures["visits"].value, figures["visits"].target, figures["visits"].status) == (3, 3, "ok")
    assert (figures["trained"].target, figures["trained"].status) == (None, "")
    earlier = {f.key: f for f in apps.get_app_config("innovation").dashboard_figures(year - 1).figures}
    assert earlier["visits"].target is None
    page = Client().get(reverse("innovation:index")).content.decode()
    assert "3<small> / 3 次</small>" in page and "3<small> 人次</small>" in page
