"""Daily and weekly digests: exactly the period's reminders, one e-mail per person, once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.reminders.models import Notification, NotificationDigest
from apps.reminders.services import digest_period, digests_send, notify_all, preference_set

pytestmark = pytest.mark.django_db

# The most recent Wednesday (today or before): the periods are about weekdays, not a date.
TODAY = timezone.localdate() - datetime.timedelta(days=(timezone.localdate().weekday() - 2) % 7)


def note_at(user, key, when, kind="tenthings.report_verified"):
    notify_all([user], kind=kind, key=key, title=f"提醒 {key}", url="/x/")
    Notification.objects.filter(user=user, key=key).update(created_at=when)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_digest_periods_are_yesterday_and_last_monday_to_sunday():
    start, end = digest_period("daily", TODAY)
    assert (timezone.localtime(start).date(), timezone.localtime(end).date()) == (
        TODAY - datetime.timedelta(days=1),
        TODAY,
    )
    start, end = digest_period("weekly", TODAY)
    assert (timezone.localtime(start).date(), timezone.localtime(end).date()) == (
        TODAY - datetime.timedelta(days=9),  # last week's Monday
        TODAY - datetime.timedelta(days=2),  # this week's Monday
    )


def test_a_daily_digest_gathers_exactly_yesterdays_reminders_once(django_capture_on_commit_callbacks):
    reader = UserFactory()
    preference_set(user=reader, kind="tenthings.report_verified", delivery="daily")
    yesterday = TODAY - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        note_at(reader, "a", at(yesterday, 0))  # first second of the period
        note_at(reader, "b", at(yesterday, 23))
        note_at(reader, "older", at(yesterday - datetime.timedelta(days=1), 23))  # a day before
        note_at(reader, "today", at(TODAY, 0))  # the next period
    assert mail.outbox == []  # no immediate e-mail for a digest kind

    assert digests_send(mode="daily", today=TODAY) == 1
    assert digests_send(mode="daily", today=TODAY) == 0  # a second beat / retried task
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "提醒 a" in body and "提醒 b" in body and "older" not in body and "today" not in body
    digest = NotificationDigest.objects.get()
    assert set(digest.notifications.values_list("key", flat=True)) == {"a", "b"}
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<digest-{digest.pk}@union-portal.local>"


def test_weekly_digest_leaves_immediate_and_off_kinds_alone(django_capture_on_commit_callbacks):
    reader = UserFactory()
    preference_set(user=reader, kind="tenthings.digest", delivery="weekly")
    preference_set(user=reader, kind="news.rejected", delivery="off")
    monday = TODAY - datetime.timedelta(days=9)  # last week's Monday
    with django_capture_on_commit_callbacks(execute=True):
        note_at(reader, "w1", at(monday), kind="tenthings.digest")
        note_at(reader, "w2", at(monday + datetime.timedelta(days=6), 22), kind="tenthings.digest")
        note_at(reader, "off", at(monday), kind="news.rejected")
        note_at(reader, "now", at(monday), kind="general")  # immediate: sent at once
    assert [m.subject for m in mail.outbox] == ["【兴化市总工会】提醒 now"]
    assert digests_send(mode="weekly", today=TODAY) == 1
    assert "w1" in mail.outbox[1].body and "w2" in mail.outbox[1].body and "off" not in mail.outbox[1].body
    assert digests_send(mode="daily", today=TODAY) == 0


def test_immediate_email_carries_a_deterministic_message_id(django_capture_on_commit_callbacks):
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify_all([reader], kind="general", key="k1", title="t")
    note = Notification.objects.get(user=reader)
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<notification-{note.pk}.{reader.pk}@union-portal.local>"


def test_reminder_emails_have_an_html_part_one_click_unsubscribe_and_say_they_are_automatic(
    django_capture_on_commit_callbacks, client
):
    from django.conf import settings

    from apps.reminders.models import NotificationPreference

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        title = "您获得职工体检名额：5月12日 8:00"
        notify_all([user], kind="enrolment.offered", key="offer-1", title=title, url="/me/")
    [message] = mail.outbox
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL and "noreply@localhost" not in message.from_email
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "您获得职工体检名额" in html and "查看全文" in html
    assert "5月12日 8:00" in message.body and "/me/notifications/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix(settings.SITE_URL.rstrip("/"))

    assert client.get(path).status_code == 200  # shows what it will do, changes nothing
    assert not NotificationPreference.objects.filter(user=user).exists()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200  # the mail system's POST
    assert NotificationPreference.objects.get(user=user, kind="enrolment.offered").delivery == "off"
    assert client.post(path[:-3] + "xx/").status_code == 404  # a forged token changes nothing
