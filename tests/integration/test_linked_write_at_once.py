"""A write that feeds a linked figure refreshes every page that shows it at once: a station
check-in moves item 5's linked figure on the year page, the item page and the dashboard."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.stations.tests.factories import StationFactory, VisitFactory
from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_a_check_in_is_seen_at_once_on_every_page(client, settings, django_capture_on_commit_callbacks, user_with_role):
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    year = timezone.localdate().year
    item = ItemFactory(plan=PlanFactory(year=year), number=5)
    IndicatorFactory(item=item, name="驿站签到", target=D("100"), unit="人次", metric_key="stations.visits")
    station = StationFactory()
    leader = client.__class__()
    leader.force_login(user_with_role("leader"))
    pages = [reverse("tenthings:year", args=[year]), reverse("tenthings:item", args=[year, 5])]
    for url in pages:
        assert "0 / 100 人次" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        VisitFactory(station=station)
    for url in pages:
        assert "1 / 100 人次" in client.get(url).content.decode(), url
    dashboard = leader.get(reverse("dashboard:index")).content.decode()
    row = dashboard[dashboard.index('data-testid="dash-item-5"') :]
    assert '<span class="tt-pct">1%</span>' in row[: row.index("</li>")]


def test_a_verifier_snapshots_a_linked_figure_and_a_closed_year_keeps_it(client):
    import datetime

    from apps.accounts.tests.factories import UserFactory
    from apps.tenthings import services
    from apps.tenthings.models import LinkedSnapshot
    from apps.tenthings.selectors import plan_progress

    year = timezone.localdate().year
    item = ItemFactory(plan=PlanFactory(year=year), number=5)
    ind = IndicatorFactory(item=item, name="驿站签到", target=D("100"), unit="人次", metric_key="stations.visits")
    VisitFactory(station=StationFactory())
    snapshot = services.linked_snapshot_verify(indicator=ind, actor=UserFactory())
    assert snapshot.value == 1
    [row] = plan_progress(item.plan).items[0].indicators
    assert row.snapshot == (D("1"), timezone.localdate())
    assert "最近核实" in client.get(reverse("tenthings:item", args=[year, 5])).content.decode()
    # A closed year past its grace date shows the figure verified by then; the live count beside it.
    old = ItemFactory(plan=PlanFactory(year=year - 2), number=5)
    old_ind = IndicatorFactory(item=old, target=D("100"), unit="人次", metric_key="stations.visits")
    LinkedSnapshot.objects.create(indicator=old_ind, value=D("40"), taken_on=datetime.date(year - 1, 1, 10))
    progress = plan_progress(old.plan)
    assert progress.percent_int == 40 and progress.after_percent_int == 0
