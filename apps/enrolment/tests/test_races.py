"""Many people at once for few places (PostgreSQL; required in CI)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.enrolment import services
from apps.enrolment.models import Enrolment, Roster
from conftest import require_service

from .factories import OccasionFactory, RosterFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_in_threads(jobs, threads):
    """Run callables on ``threads`` threads, each with its own database connection."""
    lock, errors, queue = threading.Lock(), [], list(jobs)
    barrier = threading.Barrier(threads)

    def worker():
        barrier.wait()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop()
                try:
                    job()
                except Exception as exc:  # noqa: BLE001 — the test reports any failure of a racer
                    errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return errors


def test_500_sign_ups_for_100_places_from_20_threads_end_100_confirmed_400_waiting():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    roster = RosterFactory(places=100)
    people = UserFactory.create_batch(500, verified_email=False)
    errors = run_in_threads([lambda p=p: services.signup(roster=roster, person=p) for p in people], 20)
    assert errors == []
    roster.refresh_from_db()
    states = dict(Enrolment.objects.filter(roster=roster).values_list("state").annotate(n=Count("pk")))
    assert states == {Enrolment.State.CONFIRMED: 100, Enrolment.State.WAITING: 400}
    assert (roster.taken, roster.waiting) == (100, 400)


def test_double_taps_from_many_threads_make_one_enrolment():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    roster, worker = RosterFactory(places=10), UserFactory()
    errors = run_in_threads([lambda: services.signup(roster=roster, person=worker)] * 8, 8)
    assert errors == [] and Enrolment.objects.filter(roster=roster, person=worker).count() == 1


def test_cancellations_racing_offer_expiry_never_offer_a_place_twice():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    roster = RosterFactory(places=5)
    OccasionFactory(roster=roster, starts_at=timezone.now() + datetime.timedelta(days=5))
    enrolments = [services.signup(roster=roster, person=UserFactory()).enrolment for _ in range(30)]
    holders = enrolments[:5]
    for holder in holders[:3]:
        services.enrolment_cancel(enrolment=holder, by=holder.person)
    later = timezone.now() + datetime.timedelta(days=3)
    jobs = [lambda h=h: services.enrolment_cancel(enrolment=h, by=h.person) for h in holders[3:]]
    jobs += [lambda: services.offers_expire(now=later)] * 6
    errors = run_in_threads(jobs, 8)
    assert errors == []
    roster.refresh_from_db()
    holding = Enrolment.objects.filter(roster=roster, state__in=Enrolment.HOLDING).count()
    assert holding == roster.taken <= roster.places == 5
    assert Enrolment.objects.filter(roster=roster, state=Enrolment.State.WAITING).count() == roster.waiting
    assert roster.taken == 5  # every freed place went to someone waiting, once
    assert not Roster.objects.filter(pk=roster.pk, taken__gt=5).exists()
