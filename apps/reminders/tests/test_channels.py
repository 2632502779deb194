"""Reminders on WeChat and SMS against fake providers on loopback (real HTTP, recorded requests):
each channel's once-rule under retries, refusals and outages falling back, unknown outcomes
never repeated, the provider cap, quiet hours holding and releasing."""

import datetime
import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.accounts.wechat_models import WeChatBinding
from apps.reminders import outbox
from apps.reminders.deliveries import deliveries_send, deliveries_sweep, quiet_until
from apps.reminders.models import ChannelDelivery, Notification, OutboxTask
from apps.reminders.services import notify_all, preference_set
from apps.reminders.tasks import channel_deliveries_send

from .fake_providers import FakeProviders, provider_settings

pytestmark = pytest.mark.django_db
S = ChannelDelivery.Status


@pytest.fixture
def fake(settings):
    providers = FakeProviders().start()
    for name, value in provider_settings(providers.url).items():
        setattr(settings, name, value)
    cache.clear()
    yield providers
    providers.stop()


@pytest.fixture
def tell(django_capture_on_commit_callbacks):
    def send(users, *, kind="general", key="k1", title="您报名的职工体检周二8:00在市人民医院进行，请空腹前往"):
        with django_capture_on_commit_callbacks(execute=True):
            return notify_all(users, kind=kind, key=key, title=title, body="详见通知全文。", url="/me/")

    return send


def wechat_user(**extra):
    user = UserFactory(**extra)
    WeChatBinding.objects.create(user=user, app="mp", openid=f"o-{user.pk}", subscribed=True)
    return user


def rows_of(user):
    return {d.channel: d.status for d in ChannelDelivery.objects.filter(notification__user=user)}


def test_wechat_goes_once_fitted_to_its_rules_and_links_to_the_full_text(fake, tell):
    user = wechat_user()
    assert tell([user]) == 1
    [sent] = fake.sent("wechat")
    assert sent["path"] == "/cgi-bin/message/template/send"
    assert sent["body"]["touser"] == f"o-{user.pk}" and sent["body"]["template_id"] == "mp-general"
    values = {k: v["value"] for k, v in sent["body"]["data"].items()}
    assert all(len(v) <= 20 for v in values.values()) and values["thing1"].endswith("…")
    assert set(sent["body"]) == {"touser", "template_id", "url", "data"}  # no colour, no remark line
    note = Notification.objects.get(user=user)
    assert sent["body"]["url"].endswith(f"/me/notifications/{note.pk}/")
    assert rows_of(user) == {"wechat": S.SENT}
    assert mail.outbox == []  # one outside channel: not e-mail as well

    # Retries of every kind: the fan-out again, the task again, the outbox's redelivery sweep.
    assert tell([user]) == 0
    channel_deliveries_send(notification_ids=[note.pk])
    OutboxTask.objects.update(done_at=None, sent_at=timezone.now() - datetime.timedelta(days=1))
    outbox.redeliver_lost()
    assert len(fake.sent("wechat")) == 1
    assert Notification.objects.filter(user=user).count() == 1  # the inbox: exactly once


def test_one_access_token_serves_every_send_and_an_expired_one_is_refreshed_once(fake, tell):
    a, b = wechat_user(), wechat_user()
    tell([a, b])
    assert fake.tokens_issued == 1 and len(fake.sent("wechat")) == 2
    fake.expired_tokens.add("token-1")  # WeChat did not act on it: safe to ask again
    tell([a], key="k2")
    assert fake.tokens_issued == 2 and len(fake.sent("wechat")) == 4  # refused once, then sent
    assert ChannelDelivery.objects.get(notification__key="k2").status == S.SENT


def test_a_token_being_refreshed_by_another_worker_is_waited_for(fake):
    from apps.accounts import wechat

    key = wechat._token_key("mp")
    cache.add(f"{key}:lock", "1", 30)  # another worker holds the refresh lock …
    cache.set(key, "token-from-the-other-worker", 60)  # … and has just stored its token
    assert wechat.access_token("mp") == "token-from-the-other-worker"
    assert fake.tokens_issued == 0


def test_sms_only_for_kinds_that_allow_it(fake, tell):
    user = UserFactory(phone="13800000001", phone_verified=True)
    tell([user], kind="enrolment.offered", key="offer")
    [sms] = fake.sent("sms")
    assert sms["query"]["PhoneNumbers"] == "13800000001" and sms["query"]["TemplateCode"] == "SMS_1"
    params = json.loads(sms["query"]["TemplateParam"])
    assert len(params["title"]) <= 20 and params["link"].startswith("http")
    tell([user], kind="enrolment.satisfaction", key="survey")  # a survey is not worth a text
    assert len(fake.sent("sms")) == 1 and len(mail.outbox) == 1


def test_a_definite_refusal_moves_on_to_the_next_channel_and_the_last_to_email(fake, tell):
    user = wechat_user(phone="13800000002", phone_verified=True)
    fake.mode.update(wechat="refuse", sms="refuse")
    tell([user], kind="enrolment.offered", key="offer")
    assert rows_of(user) == {"wechat": S.REFUSED, "sms": S.REFUSED, "email": S.SENT}
    assert len(fake.sent("wechat")) == 1 and len(fake.sent("sms")) == 1 and len(mail.outbox) == 1
    assert not WeChatBinding.objects.get(user=user).subscribed  # "not following": no live subscription now


def test_a_provider_outage_falls_back_then_the_provider_is_used_again(fake, tell):
    user = wechat_user()
    fake.mode["wechat"] = "outage"
    tell([user], key="during")
    assert rows_of(user) == {"wechat": S.REFUSED, "email": S.SENT} and len(mail.outbox) == 1
    fake.mode["wechat"] = "ok"
    tell([user], key="after")
    assert len(fake.sent("wechat")) == 2 and len(mail.outbox) == 1
    assert ChannelDelivery.objects.filter(notification__key="after").get().status == S.SENT


def test_an_unreachable_provider_is_a_definite_no_and_falls_back(fake, tell, settings):
    user = wechat_user()
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"  # nothing listens: connection refused
    tell([user])
    assert rows_of(user) == {"wechat": S.REFUSED, "email": S.SENT}


def test_an_unknown_outcome_is_never_repeated_and_not_sent_elsewhere(fake, tell):
    user = wechat_user(phone="13800000003", phone_verified=True)
    fake.mode["wechat"] = "hang"  # the request went out; no answer within the timeout
    tell([user], kind="enrolment.offered", key="offer")
    assert rows_of(user) == {"wechat": S.UNKNOWN}
    note = Notification.objects.get(user=user)
    fake.mode["wechat"] = "ok"
    channel_deliveries_send(notification_ids=[note.pk])
    deliveries_sweep()
    assert len(fake.sent("wechat")) == 1 and fake.sent("sms") == [] and mail.outbox == []


def test_the_provider_cap_moves_on_and_the_local_count_stops_before_asking(fake, tell, settings):
    user = UserFactory(phone="13800000004", phone_verified=True)
    fake.mode["sms"] = "cap"
    tell([user], kind="enrolment.offered", key="capped-by-aliyun")
    assert rows_of(user) == {"sms": S.CAPPED, "email": S.SENT}
    fake.mode["sms"] = "ok"
    settings.REMINDER_SMS_DAILY_CAP = 2
    tell([user], kind="enrolment.offered", key="a")
    tell([user], kind="enrolment.offered", key="b")
    asked = len(fake.sent("sms"))
    tell([user], kind="enrolment.offered", key="c")  # the third today: capped here, not asked
    assert len(fake.sent("sms")) == asked == 3
    capped = ChannelDelivery.objects.get(notification__key="c", channel="sms")
    assert capped.status == S.CAPPED and "cap" in capped.error
    assert ChannelDelivery.objects.get(notification__key="c", channel="email").status == S.SENT


def test_with_no_channel_left_it_stays_in_site_only(fake, tell):
    user = wechat_user(email="", verified_email=False)
    fake.mode["wechat"] = "refuse"
    tell([user])
    assert rows_of(user) == {"wechat": S.REFUSED}
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1


def test_what_the_person_switched_off_is_skipped(fake, tell):
    user = wechat_user(phone="13800000005", phone_verified=True)
    from apps.reminders.models import NotificationPreference

    NotificationPreference.objects.create(user=user, kind="enrolment.offered", wechat=False)
    tell([user], kind="enrolment.offered", key="offer")
    assert rows_of(user) == {"sms": S.SENT}
    preference_set(user=user, kind="general", delivery="off")
    NotificationPreference.objects.filter(user=user, kind="general").update(wechat=False)
    tell([user], key="general-off")
    assert not ChannelDelivery.objects.filter(notification__key="general-off").exists()


def _window_around_now(minutes_before: int, minutes_after: int) -> str:
    now = timezone.localtime()
    start = now - datetime.timedelta(minutes=minutes_before)
    end = now + datetime.timedelta(minutes=minutes_after)
    return f"{start:%H:%M}-{end:%H:%M}"


def test_quiet_hours_hold_sms_and_wechat_until_morning_then_release_them(
    fake, tell, settings, django_capture_on_commit_callbacks
):
    wechat, texted, mailed = wechat_user(), UserFactory(phone="13800000006", phone_verified=True), UserFactory()
    settings.REMINDER_QUIET_HOURS = _window_around_now(60, 60)
    tell([wechat, texted, mailed], kind="enrolment.offered", key="late")
    assert fake.sent("wechat") == [] and fake.sent("sms") == []
    assert rows_of(wechat) == {"wechat": S.HELD} and rows_of(texted) == {"sms": S.HELD}
    assert len(mail.outbox) == 1  # e-mail is not held
    morning = quiet_until()
    assert ChannelDelivery.objects.filter(status=S.HELD, not_before=morning).count() == 2
    assert deliveries_sweep()["released"] == 0  # still night

    settings.REMINDER_QUIET_HOURS = _window_around_now(-120, 180)  # the night is over
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep(now=morning + datetime.timedelta(minutes=1))["released"] == 2
    assert len(fake.sent("wechat")) == 1 and len(fake.sent("sms")) == 1
    assert rows_of(wechat) == {"wechat": S.SENT} and rows_of(texted) == {"sms": S.SENT}
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=morning + datetime.timedelta(minutes=6))
    assert len(fake.sent("wechat")) == 1 and len(fake.sent("sms")) == 1


def test_quiet_hours_across_midnight(settings):
    settings.REMINDER_QUIET_HOURS = "21:00-08:00"
    tz = timezone.get_current_timezone()
    # A fixed day on purpose: quiet_until is a pure function of the moment it is given (no clock read).
    at = lambda h, m=0: timezone.make_aware(datetime.datetime(2026, 5, 4, h, m), tz)  # noqa: E731
    assert quiet_until(at(12)) is None and quiet_until(at(20, 59)) is None and quiet_until(at(8)) is None
    assert quiet_until(at(21)) == timezone.make_aware(datetime.datetime(2026, 5, 5, 8, 0), tz)
    assert quiet_until(at(6, 30)) == at(8)


def test_deliveries_send_twice_at_once_sends_once(fake, tell, settings):
    settings.REMINDER_QUIET_HOURS = _window_around_now(60, 60)
    user = wechat_user()
    tell([user])
    settings.REMINDER_QUIET_HOURS = ""
    ChannelDelivery.objects.update(status=S.QUEUED, not_before=None)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert deliveries_send(notification_ids=ids) + deliveries_send(notification_ids=ids) == 1
    assert len(fake.sent("wechat")) == 1
