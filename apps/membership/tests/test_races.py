"""Two staff at once (PostgreSQL; required in CI): one number, one ledger row, a message for the other."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.accounts.models import Occupation
from apps.membership import services
from apps.membership.models import Application, LedgerEntry, Member
from conftest import require_service

from .factories import WorkerFactory, staff_of, submit

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def race(targets):
    barrier, errors, results = threading.Barrier(len(targets)), [], []

    def run(target):
        barrier.wait()
        try:
            results.append(target())
        except Exception as exc:  # noqa: BLE001 — the test reports any failure of a racer
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _needs_postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")


def test_two_staff_accepting_one_application_at_once_make_one_member_and_one_ledger_row(hierarchy, user_with_role):
    _needs_postgres()
    first, second = staff_of(hierarchy.courier, user_with_role), staff_of(hierarchy.courier, user_with_role)
    application = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    results, errors = race(
        [
            lambda: services.application_accept(application_id=application.pk, by=first),
            lambda: services.application_accept(application_id=application.pk, by=second),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and "已经办理" in errors[0].messages[0]
    assert Member.objects.count() == 1 and LedgerEntry.objects.count() == 1
    assert Application.objects.get(pk=application.pk).member == results[0]


def test_accepting_many_applications_at_once_gives_each_its_own_number(hierarchy, user_with_role):
    _needs_postgres()
    staff = staff_of(hierarchy.courier, user_with_role)
    applications = [submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER) for _ in range(4)]
    results, errors = race(
        [lambda a=a: services.application_accept(application_id=a.pk, by=staff) for a in applications]
    )
    assert errors == []
    assert len({member.number for member in results}) == 4


def test_two_submissions_at_once_keep_one_open_application(hierarchy):
    _needs_postgres()
    worker = WorkerFactory()
    results, errors = race([lambda: submit(worker, town=hierarchy.town) for _ in range(3)])
    assert len(results) == 1 and all(isinstance(e, ValidationError) for e in errors) and len(errors) == 2
    assert Application.objects.filter(person=worker).count() == 1
