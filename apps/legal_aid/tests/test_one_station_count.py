"""One count of grassroots legal stations: /legal/, item 9's metric and the dashboard agree."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.legal_aid.models import LegalStation
from apps.legal_aid.selectors import dashboard_figure_group, metric_grassroots_stations

pytestmark = pytest.mark.django_db


def _station(town, code, **fields):
    from apps.core.models import Town

    town_obj, _created = Town.objects.get_or_create(name=town)
    defaults = {"code": code, "name": f"{town}法律服务站", "kind": LegalStation.Kind.GRASSROOTS, "town": town_obj}
    defaults.update(fields)
    return LegalStation.objects.create(**defaults)


def test_the_same_count_everywhere_and_a_closed_station_without_its_date_is_not_open(client):
    long_ago = timezone.localdate() - datetime.timedelta(days=800)
    _station("甲镇", "ls-a", status="open", opened_on=long_ago)
    _station("乙镇", "ls-b", status="suspended", status_reason="装修", opened_on=long_ago)
    _station("丙镇", "ls-c", status="closed", status_reason="撤并", opened_on=long_ago)  # no closing date
    year = timezone.localdate().year
    assert metric_grassroots_stations(year) == 2
    figure = next(f for f in dashboard_figure_group(year).figures if f.key == "grassroots_stations")
    assert figure.value == 2
    assert "和 2 个基层工会法律服务站" in client.get(reverse("legal_aid:index")).content.decode()
