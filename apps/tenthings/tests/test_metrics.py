from decimal import Decimal

import pytest

from apps.tenthings import metrics
from apps.tenthings.selectors import plan_progress

from .factories import IndicatorFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    calls = []

    def compute(year):
        calls.append(year)
        return 3

    metrics.register("test.stations", "新建驿站", "个", compute)
    yield calls
    metrics.unregister("test.stations")


def test_register_get_choices_and_value(registered):
    assert metrics.get("test.stations").label == "新建驿站"
    assert ("test.stations", "新建驿站（个）") in metrics.choices()
    assert metrics.value("test.stations", 2024) == Decimal(3)
    assert metrics.value("nobody.registered", 2024) is None


def test_linked_indicator_takes_its_value_from_the_metric_once_per_page(registered):
    item = ItemFactory()
    IndicatorFactory(item=item, target=Decimal("2"), metric_key="test.stations")
    IndicatorFactory(item=item, target=Decimal("6"), metric_key="test.stations")
    progress = plan_progress(item.plan)
    rows = progress.items[0].indicators
    assert [r.actual for r in rows] == [3, 3]
    assert rows[0].completion == 1 and rows[1].completion == Decimal("0.5")
    assert registered == [2024]  # computed once, not per indicator
