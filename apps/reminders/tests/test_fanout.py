"""notify_all: one reminder to many people, in batches, at most once each."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from apps.accounts.tests.factories import UserFactory
from apps.reminders import services
from apps.reminders.models import Notification
from apps.reminders.services import notify_all, preference_set

pytestmark = pytest.mark.django_db

KEY = "tenthings.report_verified:report-7"


def fan_out(users):
    return notify_all(users, kind="tenthings.report_verified", key=KEY, title="有新进展", body="…", url="/x/")


def test_tells_everyone_once_and_a_rerun_tells_nobody(django_capture_on_commit_callbacks):
    people = UserFactory.create_batch(7)
    with django_capture_on_commit_callbacks(execute=True):
        assert fan_out(get_user_model().objects.filter(pk__in=[p.pk for p in people])) == 7
    with django_capture_on_commit_callbacks(execute=True):
        assert fan_out(people) == 0  # retried task / second beat
    assert Notification.objects.filter(key=KEY).count() == 7
    assert len(mail.outbox) == 7


def test_half_already_told_gets_only_the_other_half(django_capture_on_commit_callbacks):
    people = UserFactory.create_batch(6)
    with django_capture_on_commit_callbacks(execute=True):
        fan_out(people[:3])
        assert fan_out(people) == 3
    assert len(mail.outbox) == 6


def test_streams_in_batches_with_a_constant_number_of_queries_per_batch(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(services, "BATCH_SIZE", 5)
    UserFactory.create_batch(10)
    # Per batch: savepoint, already told, addresses, WeChat bindings, preferences, insert, the
    # delivery rows, the e-mail task's outbox row, release; plus the id stream.
    with django_assert_num_queries(1 + 2 * 9):
        assert fan_out(get_user_model().objects.all()) == 10
    notify_all(get_user_model().objects.all(), kind="k", key="other", title="t")
    UserFactory.create_batch(10)
    # Two batches of people already told cost three queries each; two new batches nine each.
    with django_assert_num_queries(1 + 2 * 3 + 2 * 9):
        assert fan_out(get_user_model().objects.all()) == 10  # the 10 new people only


def test_respects_the_email_choice_per_kind_and_people_without_email(django_capture_on_commit_callbacks):
    wants, declines = UserFactory.create_batch(2)
    no_email = UserFactory(email="")
    inactive = UserFactory(is_active=False)
    preference_set(user=declines, kind="tenthings.report_verified", delivery="off")
    with django_capture_on_commit_callbacks(execute=True):
        assert fan_out([wants, declines, no_email, inactive]) == 3  # nobody writes to a closed account
    assert [m.to for m in mail.outbox] == [[wants.email]]
    assert not Notification.objects.filter(user=inactive).exists()


@pytest.mark.django_db(transaction=True)
def test_a_fan_out_that_crashes_half_way_is_finished_by_a_rerun_without_duplicates(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 4)
    UserFactory.create_batch(10)
    real_insert, calls = services._insert_new, []

    def crash_on_the_second_batch(rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise ConnectionError("worker killed")
        return real_insert(rows)

    monkeypatch.setattr(services, "_insert_new", crash_on_the_second_batch)
    with pytest.raises(ConnectionError):
        fan_out(get_user_model().objects.all())
    assert Notification.objects.filter(key=KEY).count() == 4  # the first batch committed on its own
    monkeypatch.setattr(services, "_insert_new", real_insert)
    assert fan_out(get_user_model().objects.all()) == 6  # the retry tells only the rest
    assert Notification.objects.filter(key=KEY).count() == 10


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_fan_outs_of_one_key_tell_each_person_once():
    import threading

    from django.db import connection, connections

    from conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "the concurrent fan-out race needs it")
    UserFactory.create_batch(40)
    barrier, told = threading.Barrier(3), []

    def worker():
        barrier.wait()
        try:
            told.append(fan_out(get_user_model().objects.all()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(told) == 40  # each person counted by exactly one of the racing fan-outs
    assert Notification.objects.filter(key=KEY).count() == 40
