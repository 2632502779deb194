"""Sign-up errors in Chinese that say what to do; the passwords stay unless they were the problem."""

import re

import pytest
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.accounts.adapters import AccountAdapter

from .factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "Huanwei-2024!"


def _signup(client, **fields):
    data = {"phone": "13912345678", "password1": GOOD, "password2": GOOD, "real_name": "刘晓峰", **fields}
    return client.post(reverse("account_signup"), data)


def _errors(response) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', response.content.decode())


@pytest.mark.parametrize(
    "password, words",
    [
        ("short1!", "至少输入 8 个字符"),
        ("12345678901", "全是数字"),
        ("password123", "太常见"),
        ("liuxiaofeng88", "太相似"),
    ],
)
def test_a_refused_password_is_explained_in_chinese_and_typed_again(client, password, words):
    response = _signup(client, username="liuxiaofeng", password1=password, password2=password)
    errors = _errors(response)
    assert any(words in e for e in errors), errors
    assert not any(re.search(r"[A-Za-z]{4,}", e) for e in errors), errors
    assert 'value="' + password + '"' not in response.content.decode()


def test_an_error_elsewhere_keeps_both_passwords(client):
    UserFactory(username="taken")
    response = _signup(client, username="taken")
    assert any("用户名已被使用" in e for e in _errors(response))
    assert response.content.decode().count(f'value="{GOOD}"') == 2


def test_a_missing_phone_says_what_to_fill_in(client):
    response = _signup(client, phone="")
    assert "请填写您的手机号码，验证码会发到这个号码。" in _errors(response)


def test_two_different_passwords_say_to_type_both_again(client):
    response = _signup(client, password2=GOOD + "x")
    assert "两次输入的密码不一样：请重新输入两遍。" in _errors(response)


def test_every_password_validator_speaks_chinese():
    user = UserFactory.build(username="liuxiaofeng", email="liu@example.com")
    with translation.override("zh-hans"):
        for bad in ("a1", "12345678901", "password", "liuxiaofeng"):
            with pytest.raises(ValidationError) as caught:
                validate_password(bad, user)
            for message in caught.value.messages:
                assert not re.search(r"[A-Za-z]{4,}", message.replace("password", "")), message
        for validator in get_default_password_validators():
            assert not re.search(r"[A-Za-z]{4,}", validator.get_help_text().replace("password", ""))


def test_allauth_messages_use_the_portal_words():
    with translation.override("zh-hans"):
        assert str(AccountAdapter.error_messages["incorrect_code"]) == "验证码不正确，请重新输入。"
        for message in AccountAdapter.error_messages.values():
            assert "代码" not in str(message).replace("验证码", "")
