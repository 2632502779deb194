from decimal import Decimal

import pytest

from apps.core import registry
from apps.core.contract import Metric
from apps.tenthings.selectors import plan_progress

from .factories import IndicatorFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    """A metric offered as if an installed app declared it through the contract."""
    calls = []

    def compute(year):
        calls.append(year)
        return 3

    declared = {**registry.metrics(), "test.stations": Metric("test.stations", "新建驿站", "个", compute)}
    monkeypatch.setattr(registry, "metrics", lambda: declared)
    return calls


def test_registry_get_choices_and_value(registered):
    assert registry.metric_get("test.stations").label == "新建驿站"
    assert ("test.stations", "新建驿站（个）") in registry.metric_choices()
    assert registry.metric_value("test.stations", 2024) == Decimal(3)
    assert registry.metric_value("nobody.registered", 2024) is None


def test_linked_indicator_takes_its_value_from_the_metric_once_per_page(registered):
    item = ItemFactory()
    IndicatorFactory(item=item, target=Decimal("2"), metric_key="test.stations")
    IndicatorFactory(item=item, target=Decimal("6"), metric_key="test.stations")
    progress = plan_progress(item.plan)
    rows = progress.items[0].indicators
    assert [r.actual for r in rows] == [3, 3]
    assert rows[0].completion == 1 and rows[1].completion == Decimal("0.5")
    assert registered == [2024]  # computed once, not per indicator


def test_the_admin_offers_the_installed_metrics_as_a_list(client):
    from django.urls import reverse

    from apps.accounts.tests.factories import UserFactory

    indicator = IndicatorFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:tenthings_indicator_change", args=[indicator.pk])).content.decode()
    assert '<select name="metric_key"' in html
    assert 'value="stations.opened_24h"' in html and 'value="legal_aid.events_held"' in html
