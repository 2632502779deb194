"""SMS sign-in in one vocabulary (验证码), a wrong code says what to do, a new person is welcomed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.accounts import sms

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.ConsoleSmsBackend.outbox.clear()
    yield
    sms.ConsoleSmsBackend.outbox.clear()


def _code(phone):
    return [m for m in sms.ConsoleSmsBackend.outbox if m["phone"] == phone][-1]["code"]


def test_the_code_sign_in_form_asks_for_the_mobile_number_only(client):
    page = client.get(reverse("account_request_login_code")).content.decode()
    assert 'name="phone"' in page
    assert 'name="email"' not in page and "邮箱" not in page.split("<main", 1)[1].split("</main>")[0]
    response = client.post(reverse("account_request_login_code"), {"phone": ""})
    assert "请输入您注册时的手机号码。" in response.content.decode()


def test_a_wrong_code_says_so_in_the_portals_words(client):
    UserFactory(phone="13800000021", phone_verified=True)
    client.post(reverse("account_request_login_code"), {"phone": "13800000021"})
    code = _code("13800000021")
    wrong = "000000" if code != "000000" else "111111"
    body = client.post(reverse("account_confirm_login_code"), {"code": wrong}).content.decode()
    assert "验证码不正确，请重新输入。" in body
    assert "错误代码" not in body and "登录代码" not in body


def test_a_new_person_is_welcomed_and_a_returning_one_welcomed_back(client):
    data = {"real_name": "王芳", "phone": "13912345670", "password1": "Huanwei-2024!", "password2": "Huanwei-2024!"}
    client.post(reverse("account_signup"), data)
    response = client.post(reverse("account_verify_phone"), {"code": _code("13912345670")})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("欢迎加入" in m for m in said) and not any("欢迎回来" in m for m in said)

    client.logout()
    client.post(reverse("account_request_login_code"), {"phone": "13912345670"})
    response = client.post(reverse("account_confirm_login_code"), {"code": _code("13912345670")})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("欢迎回来" in m for m in said)
