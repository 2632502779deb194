"""The 公示: masked name, town, band and kind of help only, during its 5 working days; noindex,
not in the sitemap, no share card; objections by signed-in people, seen by officers only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.assistance.models import HelpRequest, Objection
from apps.core.workdays import add_working_days

from .factories import advance, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(worker, town, union, caseworker, officer):
    return advance(
        submitted(worker, town, story="女儿考上大学，学费凑不齐。", household_members="妻子、儿子"),
        caseworker=caseworker,
        officer=officer,
        to="publicity",
    )


def test_the_page_shows_only_the_masked_entry(client, case):
    response = client.get(reverse("assistance:publicity"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "刘*" in body and "戴南镇" in body and "深度困难" in body and "助学" in body
    for secret in ("刘建国", "学费凑不齐", "妻子、儿子", "3000", "13905230000", "子女就学"):
        assert secret not in body, secret
    assert 'name="robots" content="noindex' in body and "noindex" in response["X-Robots-Tag"]
    assert 'property="og:' not in body and 'rel="canonical"' not in body
    assert "/help/" not in client.get("/sitemap.xml").content.decode()


def test_the_entry_is_gone_after_its_five_working_days(case):
    last = case.publicity_until
    assert HelpRequest.objects.in_publicity(last).filter(pk=case.pk).exists()
    assert not HelpRequest.objects.in_publicity(add_working_days(last, 1)).exists()
    assert not HelpRequest.objects.in_publicity(last + datetime.timedelta(days=1)).exists()


def test_a_signed_in_person_objects_and_only_officers_read_it(client, case, stranger, officer, caseworker, worker):
    url = reverse("assistance:objection", args=[case.pk])
    assert client.post(url, {"text": "此人家有两套房"}).status_code == 302
    assert not Objection.objects.exists()  # anonymous: sent to sign in
    client.force_login(stranger)
    body = client.get(reverse("assistance:publicity")).content.decode()
    assert "提出异议" in body
    client.post(url, {"text": "此人家有两套房，请核实。", "submission_token": "o1"})
    client.post(url, {"text": "此人家有两套房，请核实。", "submission_token": "o1"})
    assert Objection.objects.filter(request=case, by=stranger).count() == 1
    client.force_login(officer)
    assert "此人家有两套房" in client.get(case.get_absolute_url()).content.decode()
    for person in (caseworker, worker):
        client.force_login(person)
        assert "此人家有两套房" not in client.get(case.get_absolute_url()).content.decode()


def test_an_objection_to_a_case_not_in_publicity_is_refused(client, worker, town, union, stranger):
    other = submitted(worker, town)
    client.force_login(stranger)
    response = client.post(reverse("assistance:objection", args=[other.pk]), {"text": "请核实此人情况。"}, follow=True)
    assert "这条公示已经结束或不存在" in response.content.decode()
    response = client.post(reverse("assistance:objection", args=[99999]), {"text": "请核实此人情况。"}, follow=True)
    assert "这条公示已经结束或不存在" in response.content.decode()
    assert not Objection.objects.exists()


def test_an_objection_after_the_publicity_ended_is_refused(case, stranger):
    from django.core.exceptions import ValidationError

    from apps.assistance import services

    with pytest.raises(ValidationError):
        services.objection_send(
            request=case, by=stranger, text="晚到的异议内容", today=case.publicity_until + datetime.timedelta(days=1)
        )
    assert timezone.localdate() <= case.publicity_until
