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


def test_form_fields_have_no_empty_label_target_and_no_list_inside_a_paragraph(client):
    from django import forms
    from django.template.loader import render_to_string

    class Choose(forms.Form):
        towns = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.CheckboxSelectMultiple)
        password = forms.CharField(help_text="<ul><li>至少 8 位</li></ul>")

    html = render_to_string("includes/form_fields.html", {"form": Choose()})
    assert 'for=""' not in html
    assert '<div class="help" id="id_password_helptext"><ul>' in html
