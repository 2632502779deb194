"""The admin: no change or delete of points; a visit's trainees earn their points."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from apps.innovation.models import PointsEntry, PointsRule

from .factories import ServiceVisitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_offers_no_change_or_delete_of_points(decided, officer):
    request = RequestFactory().get("/")
    request.user = officer
    model_admin = site._registry[PointsEntry]
    entry = PointsEntry.objects.first()
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_training_attendees_earn_their_points_once_per_visit(client, user_with_role):
    PointsRule.objects.get_or_create(code="training_attended", defaults={"description": "参加培训", "points": 2})
    officer = user_with_role("innovation_officer")
    first, second = UserFactory(), UserFactory()
    visit = ServiceVisitFactory(workers_trained=30)
    client.force_login(officer)
    url = reverse("admin:innovation_servicevisit_change", args=[visit.pk])
    form = {
        "date": visit.date.isoformat(),
        "enterprise": visit.enterprise_id,
        "topic": visit.topic,
        "workers_trained": 30,
        "trainees": [first.pk, second.pk],
        "note": "",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # saved again: nobody earns twice
    entries = PointsEntry.objects.filter(rule__code="training_attended")
    assert sorted(entries.values_list("person_id", "points")) == sorted([(first.pk, 2), (second.pk, 2)])
