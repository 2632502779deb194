"""Many at once (PostgreSQL; required in CI): applications and confirmations from many threads,
two allocation runs racing, one person applying twice at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.accounts.tests.factories import UserFactory
from apps.benefits import services
from apps.benefits.models import Application, Rule
from apps.enrolment.models import Enrolment, Roster
from conftest import require_service

from .factories import close_window, make_programme

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
State = Enrolment.State


def run_in_threads(jobs, threads):
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
                except ValidationError as exc:
                    errors.append(exc)
                except Exception as exc:  # noqa: BLE001 — any other failure of a racer is a bug
                    errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return errors


def test_applications_and_confirmations_from_many_threads_keep_every_count():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    programme = make_programme(allocation="first_come", places=60, rules=[(Rule.Check.FEMALE, "", "仅限女职工")])
    people = [UserFactory(sex="female") for _ in range(120)]
    twice = people[:10]  # ten of them tap twice at once
    jobs = [
        (lambda p=p: services.apply(programme=programme, person=p, consent=True, health_consent=True))
        for p in [*people, *twice]
    ]
    errors = run_in_threads(jobs, 20)
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert len(errors) == 10
    roster = Roster.objects.get(pk=programme.roster_id)
    assert Application.objects.filter(programme=programme).count() == 120
    assert Enrolment.objects.filter(roster=roster, state=State.CONFIRMED).count() == roster.taken == 60
    assert Enrolment.objects.filter(roster=roster, state=State.WAITING).count() == roster.waiting == 60
    # 30 cancel while their places are offered and taken up by the waiting
    held = list(Application.objects.filter(programme=programme, enrolment__state=State.CONFIRMED)[:30])
    errors = run_in_threads([(lambda a=a: services.application_cancel(application=a, by=a.person)) for a in held], 10)
    assert not errors, errors
    offered = list(Application.objects.filter(programme=programme, enrolment__state=State.OFFERED))
    assert len(offered) == 30
    errors = run_in_threads([(lambda a=a: services.offer_confirm(application=a)) for a in offered], 10)
    assert not errors, errors
    roster.refresh_from_db()
    assert Enrolment.objects.filter(roster=roster, state=State.CONFIRMED).count() == roster.taken == 60
    assert Enrolment.objects.filter(roster=roster, state=State.WAITING).count() == roster.waiting == 30


def test_two_allocation_runs_racing_produce_one_result():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    programme = make_programme(places=5)
    for _ in range(12):
        services.apply(programme=programme, person=UserFactory(), consent=True, health_consent=True)
    close_window(programme)
    services.allocation_preview(programme=programme)
    officer = UserFactory()
    errors = run_in_threads([lambda: services.allocation_run(programme=programme, by=officer)] * 2, 2)
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Enrolment.objects.filter(roster=programme.roster, state=State.OFFERED).count() == 5
    assert Enrolment.objects.filter(roster=programme.roster, draw_number__isnull=False).count() == 12
