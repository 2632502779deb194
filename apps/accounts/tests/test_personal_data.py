"""Personal information over its life: a person downloads what the portal holds about them and
can close their account; what figures rest on stays, anonymised."""

import json

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.tests.factories import PASSWORD, UserFactory
from apps.core.models import AuditEntry
from apps.reminders.models import Notification
from apps.reminders.services import notify_all

pytestmark = pytest.mark.django_db


def test_a_person_downloads_everything_the_portal_holds_about_them(client):
    person = UserFactory(real_name="王师傅", phone="13800001111", occupation="courier")
    notify_all([person], kind="general", key="k1", title="体检名额已确认")
    client.force_login(person)
    page = client.get(reverse("accounts:my_data"))
    assert page.status_code == 200 and 'data-testid="data-download"' in page.content.decode()
    response = client.get(reverse("accounts:my_data"), {"download": "1"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)["data"]
    assert data["accounts"]["个人资料"][0]["phone"] == "13800001111"
    assert data["reminders"]["通知"][0]["title"] == "体检名额已确认"


def test_someone_elses_data_is_never_in_my_download(client):
    other = UserFactory(phone="13800002222")
    notify_all([other], kind="general", key="k2", title="别人的通知")
    client.force_login(UserFactory())
    body = client.get(reverse("accounts:my_data"), {"download": "1"}).content.decode()
    assert "13800002222" not in body and "别人的通知" not in body


def test_closing_an_account_needs_the_typed_word_and_says_the_consequences_first(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("accounts:close")).content.decode()
    assert "注销后无法恢复" in page and "统计数字所依据的记录" in page
    response = client.post(reverse("accounts:close"), {"confirm": "好的"})
    assert response.status_code == 200 and "请输入“注销”两个字确认。" in response.content.decode()
    assert User.objects.get(pk=person.pk).is_active


def test_a_closed_account_is_anonymised_cannot_sign_in_and_keeps_its_records(client):
    person = UserFactory(
        username="wangshifu", real_name="王师傅", phone="13800003333", phone_verified=True, email="w@example.cn"
    )
    notify_all([person], kind="general", key="k3", title="t")
    client.force_login(person)
    response = client.post(reverse("accounts:close"), {"confirm": "注销"})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    closed = User.objects.get(pk=person.pk)  # the row stays: records point at it
    assert closed.username == f"closed-{person.pk}" and not closed.is_active
    assert (closed.real_name, closed.phone, closed.email) == ("", "", "")
    assert not closed.has_usable_password()
    assert not Notification.objects.filter(user=closed).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(person.pk)).exists()
    signin = client.post(reverse("account_login"), {"login": "wangshifu", "password": PASSWORD})
    assert "_auth_user_id" not in client.session and signin.status_code == 200


def test_the_personal_data_pages_need_a_sign_in(client):
    for name in ("accounts:my_data", "accounts:close"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
