"""The demo data: the seed's figures, idempotent, and every invented row carries the one demo marker."""

import io

import pytest
from django.apps import apps

from apps.core import registry
from apps.core.models import DemoMixin
from apps.innovation.models import (
    Category,
    ModelWorker,
    PhaseSetting,
    PointsEntry,
    Project,
    ProjectEvent,
    RankingEntry,
    Review,
    ReviewAssignment,
    RubricCriterion,
    Score,
    ServiceVisit,
    TeamMember,
)

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from apps.core.demo import load as core_load
    from apps.innovation.demo import load

    core_load(io.StringIO())
    load(io.StringIO())
    load(io.StringIO())


def test_demo_loads_the_seed_figures_and_is_idempotent(demo):
    from apps.innovation.selectors import yearly_figures

    (y2023,) = yearly_figures([2023])
    assert (y2023["declared"], y2023["taizhou_project"], y2023["wuyi_medal"], y2023["wuyi_innovator"]) == (
        89,
        20,
        7,
        13,
    )
    assert registry.metric_value("innovation.service_visits", 2024) == 22
    assert registry.metric_value("innovation.problems_solved", 2024) == 21
    assert registry.metric_value("innovation.people_trained", 2024) == 126
    assert Project.objects.filter(campaign__year=2023, is_demo=False).count() == 0
    assert OrganizationFactory._meta.model.objects.filter(name="东华链条兴化有限公司").exists()
    assert Category.objects.count() == 8


def test_every_model_the_demo_fills_carries_the_demo_marker(demo):
    filled = [model for model in apps.get_app_config("innovation").get_models() if model.objects.exists()]
    assert len(filled) >= 20
    assert [model.__name__ for model in filled if not issubclass(model, DemoMixin)] == []


def test_invented_rows_are_marked_and_the_seeds_real_ones_are_not(demo):
    for model in (TeamMember, PhaseSetting, RubricCriterion, ReviewAssignment, Review, Score, RankingEntry):
        assert model.objects.exists() and not model.objects.filter(is_demo=False).exists(), model.__name__
    assert ProjectEvent.objects.exists() and not ProjectEvent.objects.filter(is_demo=False).exists()
    assert PointsEntry.objects.exists() and not PointsEntry.objects.filter(is_demo=False).exists()
    # From the seed: 徐孙传, 新春第一课 and the categories are the union's own record.
    assert not ModelWorker.objects.get(name="徐孙传").is_demo
    assert not ServiceVisit.objects.get(topic__startswith="新春第一课").is_demo
    assert not Category.objects.filter(is_demo=True).exists()


def test_the_2024_dashboard_compares_help_for_enterprises_with_item_4_of_the_plan(db):
    """The ten-things demo links its 2024 item-4 indicators to innovation's metrics: the
    dashboard's targets are the plan's (20 visits, 20 problems, 100 people), all reached."""
    for label in ("core", "accounts", "tenthings", "innovation"):
        apps.get_app_config(label).demo_load(io.StringIO())
    figures = {f.key: f for f in apps.get_app_config("innovation").dashboard_figures(2024).figures}
    got = {key: (f.value, f.target, f.status) for key, f in figures.items() if key in ("visits", "solved", "trained")}
    assert got == {"visits": (22, 20, "ok"), "solved": (21, 20, "ok"), "trained": (126, 100, "ok")}
