"""The signed-in person, their roles and the bell's count, kept per person (apps/core/personal.py),
and sessions read from the cache (apps/core/sessions.py): no query for them on a signed-in page,
and every change to them seen at once.

Writes run inside ``django_capture_on_commit_callbacks(execute=True)``: the person's entry is
refreshed when a write commits, as it is on a real site.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.services import user_role_add
from apps.accounts.tests.factories import PASSWORD, UserFactory
from apps.core import personal
from apps.reminders.services import notification_send

pytestmark = pytest.mark.django_db

INBOX = "/me/notifications/"


def about_the_visitor(sql: str) -> bool:
    """The person, their roles, their session or the bell's unread count."""
    bell = "COUNT(*)" in sql and '"reminders_notification"' in sql and '"read_at" IS NULL' in sql
    return bell or any(table in sql for table in ('"accounts_user"', '"auth_group"', '"django_session"'))


@pytest.fixture(autouse=True)
def personal_cache(settings):
    settings.PERSONAL_CACHE_ENABLED = True
    caches["default"].clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit work (the refresh) as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def visitor_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if about_the_visitor(q["sql"])]


def test_once_kept_a_signed_in_page_asks_the_database_nothing_about_the_visitor(commit):
    with commit():
        worker = UserFactory(real_name="李秀英")
    client = signed_in(worker)
    assert visitor_queries(client, INBOX)  # the first page builds the entry
    assert visitor_queries(client, INBOX) == []
    assert "李秀英" in client.get(INBOX).content.decode()


def test_without_the_cache_the_same_page_asks_for_the_person_roles_and_count(settings):
    settings.PERSONAL_CACHE_ENABLED = False
    client = signed_in(UserFactory())
    client.get(INBOX)
    assert len(visitor_queries(client, INBOX)) == 3  # user, roles, bell (the session is cached)


def test_a_new_role_shows_in_the_navigation_at_once(commit):
    with commit():
        worker = UserFactory()
    client = signed_in(worker)
    assert "/stations/keeper/" not in client.get(INBOX).content.decode()
    with commit():
        user_role_add(user=worker, role="station_keeper")
    assert "/stations/keeper/" in client.get(INBOX).content.decode()
    with commit():
        worker.groups.clear()
    assert "/stations/keeper/" not in client.get(INBOX).content.decode()


def test_a_group_emptied_from_its_side_is_seen_too(commit):
    from django.contrib.auth.models import Group

    with commit():
        worker = UserFactory()
        user_role_add(user=worker, role="station_keeper")
    client = signed_in(worker)
    assert "/stations/keeper/" in client.get(INBOX).content.decode()
    with commit():
        Group.objects.get(name="station_keeper").user_set.clear()
    assert "/stations/keeper/" not in client.get(INBOX).content.decode()


def test_the_bell_follows_notifications_sent_and_read(commit):
    with commit():
        worker = UserFactory()
    client = signed_in(worker)
    assert 'data-testid="unread-count"' not in client.get("/me/").content.decode()
    with commit():
        notification_send(user=worker, key="speed-1", title="驿站开放通知")
        notification_send(user=worker, key="speed-2", title="活动提醒")
    assert 'data-testid="unread-count">2<' in client.get("/me/").content.decode()
    with commit():
        client.post(reverse("reminders:mark_all_read"))
    assert 'data-testid="unread-count"' not in client.get("/me/").content.decode()


def test_two_people_each_see_their_own_name_and_count(commit):
    with commit():
        one, other = UserFactory(real_name="王建国"), UserFactory(real_name="赵美兰")
        notification_send(user=one, key="speed-a", title="一")
        for n in range(3):
            notification_send(user=other, key=f"speed-b{n}", title="二")
    first, second = signed_in(one), signed_in(other)
    for _ in range(2):  # built, then kept
        mine, theirs = first.get("/me/").content.decode(), second.get("/me/").content.decode()
        assert "王建国" in mine and "赵美兰" not in mine and 'unread-count">1<' in mine
        assert "赵美兰" in theirs and "王建国" not in theirs and 'unread-count">3<' in theirs


def test_a_changed_password_or_a_closed_account_signs_other_sessions_out(commit):
    with commit():
        worker, other = UserFactory(), UserFactory()
    client, closed = signed_in(worker), signed_in(other)
    assert client.get("/me/").status_code == 200 and closed.get("/me/").status_code == 200
    with commit():
        worker.set_password("a-new-long-password-2026")
        worker.save()
        other.is_active = False
        other.save()
    assert client.get("/me/").status_code == 302
    assert closed.get("/me/").status_code == 302


def test_the_kept_person_holds_no_password_and_saving_it_keeps_the_password(commit):
    with commit():
        worker = UserFactory(real_name="旧名字")
    client = signed_in(worker)
    client.get("/me/")
    entry = caches["default"].get(personal._entry_key(worker.pk))
    assert "password" not in entry["user"].__dict__ and entry["user"].role_names == frozenset()
    with commit():
        response = client.post(reverse("accounts:profile_edit"), {"real_name": "新名字", "phone": "", "email": ""})
    assert response.status_code in (200, 302)
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
    if response.status_code == 302:
        assert worker.real_name == "新名字" and "新名字" in client.get("/me/").content.decode()


def test_with_redis_down_signed_in_pages_come_from_the_database(settings):
    settings.CACHES = {
        "default": {"BACKEND": "apps.core.cache_backends.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    worker = UserFactory(real_name="停电也在")
    client = signed_in(worker)
    for _ in range(2):
        response = client.get("/me/")
        assert response.status_code == 200 and "停电也在" in response.content.decode()
    client.post(reverse("account_logout"))
    assert client.get("/me/").status_code == 302
