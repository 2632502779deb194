"""allauth's mails speak for the union in Chinese: the site's name in the subject and the body,
never the request's host:port nor allauth's English greeting."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://gh.example.cn"


def _the_mail(settings):
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.subject.startswith(f"【{settings.SITE_NAME}】"), message.subject
    # The links are built from the request (they must open where the visitor is); the words are not.
    for text in (message.subject, re.sub(r"https?://testserver/\S*", "", message.body)):
        assert "testserver" not in text and "Hello" not in text and "Thank you" not in text, text
    assert settings.SITE_NAME in message.body
    assert "https://gh.example.cn/" in message.body
    return message


def test_password_reset_mail_is_in_the_portals_name_and_chinese(client, settings, django_capture_on_commit_callbacks):
    UserFactory(email="reset@example.cn", username="wangfang")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "reset@example.cn"})
    message = _the_mail(settings)
    assert "重设您的登录密码" in message.subject
    assert "/accounts/password/reset/key/" in message.body
    assert "wangfang" in message.body and "如果不是您本人申请" in message.body


def test_a_reset_for_an_unknown_address_says_so_in_chinese(client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "nobody@example.cn"})
    message = _the_mail(settings)
    assert "未找到该邮箱的账号" in message.subject and message.to == ["nobody@example.cn"]


def test_email_confirmation_mail_is_in_the_portals_name_and_chinese(
    client, settings, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"email": "new@example.cn", "action_add": ""})
    message = _the_mail(settings)
    assert "请确认您的邮箱地址" in message.subject and "new@example.cn" in message.to
    assert "/accounts/confirm-email/" in message.body


def test_login_code_mail_is_in_the_portals_name_and_chinese(rf, settings, django_capture_on_commit_callbacks):
    """The sign-in page asks for a code by SMS only (an e-mail box there confused people), but
    allauth still owns the e-mail template of a login code: it speaks for the union too."""
    from allauth.account.adapter import get_adapter

    request = rf.get("/accounts/login/code/")
    with django_capture_on_commit_callbacks(execute=True):
        get_adapter(request).send_mail("account/email/login_code", "code@example.cn", {"code": "246810"})
    message = _the_mail(settings)
    assert "登录验证码" in message.subject and "验证码如下" in message.body and "246810" in message.body


def test_the_code_sign_in_form_asks_for_a_mobile_number_only(client):
    page = client.get(reverse("account_request_login_code")).content.decode()
    assert 'name="phone"' in page and 'name="email"' not in page
