"""Every installed portal app implements the app contract consistently."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse

from apps.core import registry
from apps.core.contract import Figure, FigureGroup, Metric, NavLink, Panel, PortalAppConfig, ReminderKind, Role

pytestmark = pytest.mark.django_db

APPS = registry.portal_apps()
IDS = [config.label for config in APPS]


def test_every_local_app_is_a_portal_app():
    from django.apps import apps

    local = [config for config in apps.get_app_configs() if config.name.startswith("apps.")]
    assert local and all(isinstance(config, PortalAppConfig) for config in local)
    assert {"news", "tenthings", "stations", "legal_aid", "innovation", "dashboard"} <= set(IDS)


@pytest.mark.parametrize("config", APPS, ids=IDS)
def test_nav_links_resolve(config):
    for link in config.nav_links():
        assert isinstance(link, NavLink)
        assert reverse(link.url_name)
        names = link.role if isinstance(link.role, tuple) else (link.role,)
        assert link.role is None or all(name in registry.roles() or "." in name for name in names)


@pytest.mark.parametrize("config", APPS, ids=IDS)
def test_roles_exist_as_groups_with_exactly_their_permissions(config):
    wanted = registry.role_permissions()
    for role in config.roles():
        assert isinstance(role, Role)
        group = Group.objects.get(name=role.name)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == wanted[role.name]
    for role_name in config.role_grants():
        assert role_name in registry.roles(), f"{config.label} grants to an undeclared role {role_name}"


@pytest.mark.parametrize("config", APPS, ids=IDS)
def test_reminder_kinds_are_namespaced_by_the_app(config):
    for kind in config.reminder_kinds():
        assert isinstance(kind, ReminderKind)
        assert kind.key == "general" or kind.key.startswith(f"{config.label}.")


@pytest.mark.parametrize("config", APPS, ids=IDS)
@pytest.mark.parametrize("year", [2019, datetime.date.today().year])
def test_figures_render_and_metrics_compute_for_a_year_with_no_data(config, year):
    group = config.dashboard_figures(year)
    if group is not None:
        assert isinstance(group, FigureGroup) and group.key == config.label and group.figures
        for figure in group.figures:
            assert isinstance(figure, Figure)
            assert figure.value is None or isinstance(figure.value, int | float | Decimal)
            assert str(figure.label) and str(figure.definition), f"{config.label}.{figure.key} needs a definition"
        html = get_template("dashboard/index.html").render({"figure_groups": [group], "years": []})
        assert f'data-testid="dash-{group.key}"' in html
    for metric in config.metrics():
        assert isinstance(metric, Metric) and metric.key.startswith(f"{config.label}.")
        assert registry.metric_value(metric.key, year) == Decimal(str(metric.compute(year)))
        assert metric.compute(year) == 0 or year != 2019


@pytest.mark.parametrize("config", APPS, ids=IDS)
@pytest.mark.parametrize("hook", ["home_panel", "me_panel"])
def test_panels_render_for_a_visitor(config, hook):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    panel = getattr(config, hook)(request)
    if panel is not None:
        assert isinstance(panel, Panel)
        get_template(panel.template)  # exists


@pytest.mark.parametrize("config", APPS, ids=IDS)
def test_sitemaps_list_their_items(config):
    for name, sitemap in config.sitemaps().items():
        assert list(sitemap().items()) is not None, name


def test_the_registry_refuses_a_role_declared_twice(monkeypatch):
    class Twice(PortalAppConfig):
        def roles(self):
            return [Role("editor", "x")]

    fake = Twice.__new__(Twice)
    monkeypatch.setattr(registry, "portal_apps", lambda: [*APPS, fake])
    registry.roles.cache_clear()
    try:
        with pytest.raises(ValueError, match="declared twice"):
            registry.roles()
    finally:
        monkeypatch.undo()
        registry.roles.cache_clear()


@pytest.mark.parametrize("config", APPS, ids=IDS)
def test_person_facts_are_declared_and_empty_for_a_new_person(config):
    from apps.accounts.tests.factories import UserFactory

    declared = {fact.key for fact in config.person_fact_kinds()}
    assert all(str(fact.label) for fact in config.person_fact_kinds())
    facts = config.person_facts(UserFactory())
    assert set(facts) <= declared, f"{config.label} returns undeclared facts {set(facts) - declared}"


def test_person_facts_merge_every_app_and_are_read_once_per_request(django_assert_max_num_queries):
    from apps.accounts.tests.factories import UserFactory

    person = UserFactory(sex="female", occupation="courier", birth_date=datetime.date(1990, 1, 1))
    facts = registry.person_facts(person)
    assert set(facts) <= set(registry.person_fact_kinds())
    assert facts["sex"] == "female" and facts["new_form_worker"] is True
    assert facts["age"] == registry.person_fact(person, "age") >= 30
    with django_assert_max_num_queries(0):
        registry.person_facts(person)  # kept on the user object for the request


@pytest.mark.parametrize("config", APPS, ids=IDS)
@pytest.mark.parametrize("year", [2019, datetime.date.today().year])
def test_metric_targets_name_declared_metrics(config, year):
    for key, target in config.metric_targets(year).items():
        assert registry.metric_get(key) is not None, f"{config.label} answers a target for unknown metric {key}"
        assert Decimal(str(target)) >= 0


def test_a_metric_target_comes_from_that_years_plan():
    from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory

    key = next(iter(registry.metrics()))
    this_year = datetime.date.today().year
    IndicatorFactory(item=ItemFactory(plan=PlanFactory(year=this_year - 1)), metric_key=key, target=Decimal("20"))
    IndicatorFactory(item=ItemFactory(plan=PlanFactory(year=this_year)), metric_key=key, target=Decimal("35"))
    assert registry.metric_target(key, this_year - 1) == Decimal("20")
    assert registry.metric_target(key, this_year) == Decimal("35")
    assert registry.metric_target(key, this_year - 2) is None  # no plan: no target
    assert registry.metric_target(key, this_year) == registry.metric_targets(this_year)[key]


@pytest.mark.parametrize("config", APPS, ids=IDS)
def test_api_routers_are_ninja_routers_mounted_under_the_app_label(config, client):
    from ninja import Router

    router = config.api_router()
    if router is not None:
        assert isinstance(router, Router)
        schema = client.get("/api/v1/openapi.json").json()
        assert any(path.startswith(f"/api/v1/{config.label}/") for path in schema["paths"])
