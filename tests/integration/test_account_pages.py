"""The password-reset and e-mail management pages are the portal's own (its layout, Chinese)."""

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_page_is_the_portals_in_chinese(client, settings):
    html = client.get(reverse("account_reset_password")).content.decode()
    assert "找回密码" in html and "发送重设邮件" in html
    assert 'class="site-header"' in html and settings.SITE_NAME in html
    assert "Password Reset" not in html


def test_an_invalid_reset_link_says_so_in_chinese(client):
    response = client.get("/accounts/password/reset/key/x-set-password/", follow=True)
    assert "链接已失效" in response.content.decode()


def test_email_management_lists_the_address_in_the_portals_look(client):
    user = UserFactory(email="zhang@example.cn")
    client.force_login(user)
    html = client.get(reverse("account_email")).content.decode()
    assert "我的邮箱" in html and "zhang@example.cn" in html and 'class="site-header"' in html
    assert "Email Addresses" not in html
