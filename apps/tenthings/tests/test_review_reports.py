"""A progress report sent twice (a double tap on a slow phone) is recorded once."""

import pytest
from django.urls import reverse

from apps.tenthings.models import ProgressReport

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_the_same_report_submitted_twice_is_recorded_once(client):
    ind = IndicatorFactory()
    client.force_login(ind.item.responsible)
    url = reverse("tenthings:report", args=[2024, ind.item.number])
    data = {
        "indicator": ind.pk,
        "reported_on": "2024-06-01",
        "amount": "30",
        "narrative": "新增体检 30 名",
        "late_reason": "补报",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已提交" in response.content.decode()
    assert ProgressReport.objects.count() == 1


def test_a_different_report_on_the_same_day_is_still_accepted(client):
    ind = IndicatorFactory()
    client.force_login(ind.item.responsible)
    url = reverse("tenthings:report", args=[2024, ind.item.number])
    data = {
        "indicator": ind.pk,
        "reported_on": "2024-06-01",
        "amount": "30",
        "narrative": "新增体检 30 名",
        "late_reason": "补报",
    }
    client.post(url, data)
    client.post(url, {**data, "amount": "5", "narrative": "又体检 5 名"})
    assert ProgressReport.objects.count() == 2
