"""/me/ reminder settings: only the kinds a person can receive, only the channels they have."""

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.accounts.wechat_models import WeChatBinding
from apps.reminders.models import NotificationPreference

pytestmark = pytest.mark.django_db
URL = reverse("reminders:preferences")


def test_a_worker_with_no_outside_channel_is_told_so_once_without_missing_channel_clutter(client):
    worker = UserFactory(email="", verified_email=False)
    client.force_login(worker)
    page = client.get(URL).content.decode()
    assert "没有邮箱" not in page and "即时邮件" not in page  # no e-mail: no e-mail choice at all
    assert 'name="sms-' not in page and 'name="wechat-' not in page
    assert 'data-testid="inbox-only"' in page and 'class="prefs-form"' not in page


def test_an_email_only_worker_sees_only_the_kinds_for_everyone_and_chooses_the_mail_per_kind(client):
    worker = UserFactory()
    client.force_login(worker)
    page = client.get(URL).content.decode()
    assert 'data-testid="kind-enrolment.offered"' in page and 'data-testid="kind-legal_aid.answered"' in page
    assert 'data-testid="kind-tenthings.digest"' not in page  # leaders' weekly report
    assert 'data-testid="kind-news.in_review"' not in page and 'data-testid="kind-stations.report"' not in page
    assert 'name="delivery-enrolment.offered"' in page and "即时邮件" in page


def test_a_leader_also_sees_the_leaders_kinds(client):
    leader = UserFactory(roles=["leader"])
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert 'data-testid="kind-tenthings.digest"' in page and 'data-testid="kind-enrolment.offered"' in page
    assert 'data-testid="kind-news.in_review"' not in page


def test_sms_is_offered_only_for_the_kinds_that_matter_and_only_with_a_proven_number(client):
    worker = UserFactory(phone="13900000001", phone_verified=True)
    WeChatBinding.objects.create(user=worker, app="mp", openid="o-worker", subscribed=True)
    client.force_login(worker)
    page = client.get(URL).content.decode()
    assert 'name="sms-enrolment.offered"' in page and 'name="sms-legal_aid.appointment"' in page
    assert 'name="sms-enrolment.satisfaction"' not in page  # a survey is not worth a text message
    assert 'name="wechat-enrolment.satisfaction"' in page and 'name="delivery-enrolment.satisfaction"' in page
    assert 'data-testid="channel-wechat"' in page and 'data-testid="channel-sms"' in page


def test_saving_keeps_what_was_not_shown_and_refuses_a_bad_mail_choice(client):
    worker = UserFactory(phone="13900000002", phone_verified=True)
    client.force_login(worker)
    posted = {
        "delivery-enrolment.offered": "daily",
        "delivery-legal_aid.answered": "off",
        "sms-legal_aid.answered": "1",
    }
    response = client.post(URL, posted)
    assert response.status_code == 302
    offered = NotificationPreference.objects.get(user=worker, kind="enrolment.offered")
    assert (offered.delivery, offered.sms, offered.wechat) == ("daily", False, True)  # unticked SMS is off
    answered = NotificationPreference.objects.get(user=worker, kind="legal_aid.answered")
    assert (answered.delivery, answered.sms) == ("off", True)
    client.post(URL, {"delivery-enrolment.offered": "hourly", "sms-enrolment.offered": "1"})
    offered.refresh_from_db()
    assert (offered.delivery, offered.sms) == ("daily", False)  # nothing saved from a bad form
