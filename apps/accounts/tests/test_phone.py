"""Sign-up and sign-in with a mobile number and an SMS code (allauth's phone support)."""

import json
import urllib.parse
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from apps.accounts import sms
from apps.accounts.models import User

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.ConsoleSmsBackend.outbox.clear()
    yield
    sms.ConsoleSmsBackend.outbox.clear()


def last_code(phone):
    sent = [m for m in sms.ConsoleSmsBackend.outbox if m["phone"] == phone]
    assert sent, f"no SMS to {phone}"
    return sent[-1]["code"]


def sign_up(client, phone="13912345678", **extra):
    data = {"real_name": "王芳", "phone": phone, "password1": "Huanwei-2024!", "password2": "Huanwei-2024!"}
    return client.post(reverse("account_signup"), {**data, **extra})


def test_phone_sign_up_without_email_sends_a_code_and_the_code_signs_the_worker_in(client):
    response = sign_up(client, phone="139 1234 5678")
    assert response.status_code == 302 and response["Location"] == reverse("account_verify_phone")
    user = User.objects.get(phone="13912345678")
    assert not user.phone_verified and user.email == "" and user.username
    assert "_auth_user_id" not in client.session

    page = client.get(reverse("account_verify_phone")).content.decode()
    assert "短信验证码" in page and "13912345678" in page
    response = client.post(reverse("account_verify_phone"), {"code": last_code("13912345678")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_code_does_not_verify_the_number(client):
    sign_up(client)
    code = last_code("13912345678")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("account_verify_phone"), {"code": wrong})
    assert response.status_code == 200
    assert not User.objects.get(phone="13912345678").phone_verified


def test_a_number_someone_proved_cannot_sign_up_again(client):
    UserFactory(phone="13912345678", phone_verified=True)
    response = sign_up(client)
    # enumeration prevention: the form does not say so, but no second account is made with the number
    assert response.status_code == 302
    assert User.objects.filter(phone="13912345678").count() == 1


def test_sign_in_by_sms_code(client):
    user = UserFactory(phone="13800000001", phone_verified=True)
    response = client.post(reverse("account_request_login_code"), {"phone": "13800000001"})
    assert response.status_code == 302
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code("13800000001")})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_by_code_to_an_unknown_number_texts_nobody(client):
    response = client.post(reverse("account_request_login_code"), {"phone": "13800000009"})
    assert response.status_code == 302  # same answer as for a known number (no enumeration)
    assert len(sms.ConsoleSmsBackend.outbox) == 0


def test_a_login_code_expires(client, settings):
    UserFactory(phone="13800000002", phone_verified=True)
    client.post(reverse("account_request_login_code"), {"phone": "13800000002"})
    code = last_code("13800000002")
    with mock.patch("time.time", return_value=__import__("time").time() + settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 5):
        response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302, "an expired code starts over at the request page"


def test_login_codes_are_rate_limited_per_number(client):
    UserFactory(phone="13800000003", phone_verified=True)
    client.post(reverse("account_request_login_code"), {"phone": "13800000003"})
    response = Client(REMOTE_ADDR="10.0.0.9").post(reverse("account_request_login_code"), {"phone": "13800000003"})
    assert len(sms.ConsoleSmsBackend.outbox) == 1
    assert response.status_code == 200


def test_login_codes_are_rate_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "request_login_code": "2/h/ip,1/m/key"}
    for i in range(2):
        UserFactory(phone=f"1380000001{i}", phone_verified=True)
    UserFactory(phone="13800000012", phone_verified=True)
    # fresh sessions from one address, as a script would do
    responses = [Client().post(reverse("account_request_login_code"), {"phone": f"1380000001{i}"}) for i in range(3)]
    assert [r.status_code for r in responses[:2]] == [302, 302]
    assert responses[2].status_code == 200 and "form-errors" in responses[2].content.decode()
    assert len(sms.ConsoleSmsBackend.outbox) == 2


def test_password_sign_in_accepts_the_mobile_number(client):
    user = UserFactory(phone="13800000004", phone_verified=True)
    response = client.post(reverse("account_login"), {"login": "13800000004", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_page_labels_are_chinese_without_ascii_colons_and_remember_me_wraps_its_box(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "用户名或手机号/邮箱" in html
    assert "登录:" not in html and "密码:" not in html and "用户名或email" not in html
    assert '<label class="check"><input type="checkbox" name="remember"' in html
    assert reverse("account_request_login_code") in html


def test_welcome_message_uses_the_real_name(client):
    user = UserFactory(real_name="刘晓峰")
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "刘晓峰" in html and f"{user.username}" not in html.split("刘晓峰")[0][-40:]


def test_me_shows_the_mobile_number_and_hides_email_management_without_email(client):
    user = UserFactory(email="", phone="13800000005", phone_verified=True, verified_email=False)
    client.force_login(user)
    html = client.get(reverse("accounts:me")).content.decode()
    assert "手机号码" in html and "13800000005" in html and "已验证" in html
    assert reverse("account_email") not in html
    with_email = UserFactory()
    client.force_login(with_email)
    assert reverse("account_email") in client.get(reverse("accounts:me")).content.decode()


def test_the_profile_cannot_change_the_number(client):
    user = UserFactory(phone="13800000006", phone_verified=True)
    client.force_login(user)
    client.post(reverse("accounts:profile_edit"), {"real_name": user.real_name, "phone": "13800000007"})
    user.refresh_from_db()
    assert user.phone == "13800000006" and user.phone_verified  # changed only through the SMS proof
    assert reverse("account_change_phone") in client.get(reverse("accounts:profile_edit")).content.decode()


def test_a_typed_but_unproven_number_never_signs_in(client):
    # Reproduces the side door: a number typed into an account (never proven) signed that
    # account in for whoever holds the number, and marked it proven.
    victim = UserFactory(phone="13800000008", phone_verified=False)
    client.post(reverse("account_request_login_code"), {"phone": "13800000008"})
    assert len(sms.ConsoleSmsBackend.outbox) == 0  # no code goes to the number
    assert "_auth_user_id" not in client.session
    victim.refresh_from_db()
    assert not victim.phone_verified


def test_aliyun_backend_signs_the_request_and_reports_refusals(settings):
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "testid"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "testsecret"
    settings.SMS_ALIYUN_SIGN_NAME = "兴化市总工会"
    settings.SMS_ALIYUN_TEMPLATE_CODE = "SMS_1"
    backend = sms.AliyunSmsBackend()
    seen = {}

    class Reply:
        def __init__(self, body):
            self.body = body

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def read(self):
            return json.dumps(self.body).encode()

    def fake_urlopen(url, timeout):
        seen["url"] = url
        return Reply({"Code": "OK"})

    with mock.patch("urllib.request.urlopen", fake_urlopen):
        backend.send_code("13800000000", "123456")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(seen["url"]).query)
    assert query["PhoneNumbers"] == ["13800000000"] and json.loads(query["TemplateParam"][0]) == {"code": "123456"}
    # the signature covers the other parameters: recompute it from what was sent
    params = {k: v[0] for k, v in query.items() if k != "Signature"}
    assert backend.signed_query(params).split("&", 1)[0] == "Signature=" + urllib.parse.quote(
        query["Signature"][0], safe="~"
    )
    tampered = {**params, "PhoneNumbers": "13900000000"}
    assert backend.signed_query(tampered).split("&", 1)[0] != backend.signed_query(params).split("&", 1)[0]

    refusal = Reply({"Code": "isv.BUSINESS_LIMIT_CONTROL"})
    with mock.patch("urllib.request.urlopen", lambda url, timeout: refusal), pytest.raises(sms.SmsError):
        backend.send_code("13800000000", "123456")


def test_aliyun_backend_names_missing_settings(settings):
    settings.SMS_ALIYUN_ACCESS_KEY_ID = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_ALIYUN_ACCESS_KEY_ID"):
        sms.AliyunSmsBackend()


def test_the_sender_is_chosen_by_settings(settings):
    settings.SMS_BACKEND = "apps.accounts.sms.ConsoleSmsBackend"
    sms.send_verification_code("13800000008", "654321")
    assert sms.ConsoleSmsBackend.outbox[-1]["code"] == "654321"
    assert "654321" in sms.ConsoleSmsBackend.outbox[-1]["text"]


def test_a_worker_proves_a_number_typed_before_sms_sign_in_from_me(client):
    user = UserFactory(phone="13800000020", phone_verified=False)
    client.force_login(user)
    assert reverse("account_change_phone") in client.get(reverse("accounts:me")).content.decode()
    page = client.get(reverse("account_change_phone")).content.decode()
    assert "未验证" in page and 'data-testid="verify-phone"' in page
    response = client.post(reverse("account_change_phone"), {"action": "verify"})
    assert response.status_code == 302
    client.post(reverse("account_verify_phone"), {"code": last_code("13800000020")})
    user.refresh_from_db()
    assert user.phone_verified
