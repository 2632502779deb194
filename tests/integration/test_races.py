"""Two requests at once by one person: no 500, no duplicate (PostgreSQL; required in CI)."""

import threading

import pytest
from django.db import connection, connections

from apps.accounts.tests.factories import UserFactory
from conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def race(n, target):
    barrier, errors = threading.Barrier(n), []

    def run():
        barrier.wait()
        try:
            target()
        except Exception as exc:  # noqa: BLE001 — the test reports any failure of a racer
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_simultaneous_first_station_ratings_keep_one_rating():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    from apps.stations.models import Rating
    from apps.stations.services import rating_submit
    from apps.stations.tests.factories import StationFactory

    station, worker = StationFactory(), UserFactory()
    errors = race(4, lambda: rating_submit(station=station, user=worker, score=5))
    assert errors == []
    assert Rating.objects.filter(station=station, user=worker).count() == 1


def test_admin_filters_with_a_nul_byte_or_a_huge_number_answer_400(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/stations/station/?name=a%00b").status_code == 400
    # An integer beyond 64 bits: the admin's lookup check drops the filter and lists everything.
    assert client.get("/admin/stations/station/?town__id__exact=99999999999999999999999").status_code == 200
    response = client.get("/admin/login/?next=dashboard")  # a word, not a URL name
    assert response.status_code == 302 and response["Location"] == "dashboard"
    assert client.get("/admin/stations/report/add/").status_code == 403  # reports come from workers


def test_two_simultaneous_first_item_ratings_keep_one_rating_and_no_500():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    from django.core.exceptions import ValidationError

    from apps.tenthings.models import Rating
    from apps.tenthings.services import rating_add
    from apps.tenthings.tests.factories import ItemFactory

    item, worker = ItemFactory(), UserFactory()
    errors = race(4, lambda: rating_add(item=item, user=worker, stars=5))
    assert all(isinstance(e, ValidationError) for e in errors) and len(errors) == 3  # the others: a message
    assert Rating.objects.filter(item=item, user=worker).count() == 1
