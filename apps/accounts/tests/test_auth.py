import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import User

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_with_an_email_verifies_the_phone_then_sends_a_confirmation_email(
    client, django_capture_on_commit_callbacks
):
    from apps.accounts import sms

    response = client.post(
        reverse("account_signup"),
        {
            "username": "liuxiaofeng",
            "email": "liu@example.com",
            "password1": "Huanwei-2024!",
            "password2": "Huanwei-2024!",
            "real_name": "刘晓峰",
            "phone": "13912345678",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="liuxiaofeng")
    assert user.real_name == "刘晓峰" and user.phone == "13912345678"
    code = sms.ConsoleSmsBackend.outbox[-1]["code"]
    with django_capture_on_commit_callbacks(execute=True):  # account mail leaves through the outbox
        client.post(reverse("account_verify_phone"), {"code": code})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    response = client.post(reverse("account_login"), {"login": "liuxiaofeng", "password": "Huanwei-2024!"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200


def test_signup_rejects_a_bad_phone_number_and_creates_nobody(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "x1",
            "email": "x1@example.com",
            "password1": "Huanwei-2024!",
            "password2": "Huanwei-2024!",
            "phone": "12345",
        },
    )
    assert response.status_code == 200
    assert "请输入 11 位手机号码" in response.content.decode()
    assert not User.objects.filter(username="x1").exists()


def test_login_brute_force_is_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.username, "password": "wrong"})
        assert response.status_code == 200
    # the sixth try is refused even with the right password
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_too_many_login_requests_from_one_address_get_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post(reverse("account_login"), {"login": f"nobody{i}", "password": "x"}).status_code for i in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429
    assert "操作太频繁" in client.post(reverse("account_login"), {"login": "a", "password": "b"}).content.decode()


def test_admin_login_goes_through_the_rate_limited_allauth_form(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_login_refuses_an_offsite_next(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert "evil.example" not in response["Location"]


def test_a_worker_gets_no_admin(client):
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302  # sent to sign in as staff
    response = client.get("/admin/login/")
    assert response.status_code == 403


def test_me_requires_login(client):
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_me_shows_my_profile(client):
    user = UserFactory(real_name="刘师傅", phone="13800000000")
    client.force_login(user)
    html = client.get(reverse("accounts:me")).content.decode()
    assert "刘师傅" in html and "13800000000" in html


def test_a_leader_lands_on_the_dashboard_and_a_next_url_still_wins(client):
    leader = UserFactory(roles=["leader"])
    response = client.post(reverse("account_login"), {"login": leader.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:index")
    client.logout()
    response = client.post(
        reverse("account_login") + "?next=/news/", {"login": leader.username, "password": PASSWORD, "next": "/news/"}
    )
    assert response["Location"] == "/news/"
    client.logout()
    worker = UserFactory()
    response = client.post(reverse("account_login"), {"login": worker.username, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:me")


def test_failed_sign_ins_count_per_account_whatever_name_is_typed(client):
    UserFactory(username="liu", email="liu@example.com")
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "liu", "password": "wrong-password"})
        assert response.status_code == 200
    # The right password, typed with the e-mail instead of the user name, is still held back.
    response = client.post(reverse("account_login"), {"login": "liu@example.com", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "登录失败次数过多" in response.content.decode()
    other = UserFactory()
    response = client.post(reverse("account_login"), {"login": other.username, "password": PASSWORD})
    assert response.status_code == 302  # another account is not affected


def test_password_reset_answers_at_once_and_the_mail_leaves_through_the_outbox(
    client, django_capture_on_commit_callbacks
):
    # Reproduces the stall: the reset mail was sent inside the request, so a stalled mail
    # server held the page (and a web worker) for 30 s and then answered 500.
    from apps.reminders.models import OutboxTask

    UserFactory(email="reset@example.cn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("account_reset_password"), {"email": "reset@example.cn"})
    assert response.status_code == 302 and mail.outbox == []  # nothing sent inside the request
    row = OutboxTask.objects.get(task="apps.accounts.tasks.account_mail_send")
    assert row.args[4] == ["reset@example.cn"]
    for callback in callbacks:  # after commit: the relay runs the task (eager here)
        callback()
    assert len(mail.outbox) == 1 and "reset@example.cn" in mail.outbox[0].to
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_smtp_connection_has_a_timeout(settings):
    from django.core.mail import get_connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert get_connection().timeout == settings.EMAIL_TIMEOUT == 10
