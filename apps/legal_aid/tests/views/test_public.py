"""Public pages: stations, duty, events; few queries at any size, nothing personal for anonymous visitors."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.enrolment.models import Enrolment
from apps.legal_aid import services

from ..factories import (
    DutyShiftFactory,
    LegalEventFactory,
    LegalStationFactory,
    StationMemberFactory,
    UserFactory,
    grow,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["index", "station", "events"])
def test_page_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries, name, station, lawyer):
    url = reverse(f"legal_aid:{name}", args=[station.pk] if name == "station" else [])
    for size in (1, 6):
        grow(station, lawyer, size)
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200


def test_index_shows_stations_duty_and_the_ask_button(client, station, lawyer):
    DutyShiftFactory(station=station, lawyer=lawyer, date=timezone.localdate())
    body = client.get(reverse("legal_aid:index")).content.decode()
    assert "老黄维权站" in body and "黄律师" in body and "我要咨询" in body and "15 日" in body


def test_planned_station_pages_are_not_public(client):
    planned = LegalStationFactory(status="planned", status_reason="筹建中", opened_on=None)
    assert client.get(reverse("legal_aid:station", args=[planned.pk])).status_code == 404


def test_station_page_shows_the_org_chart(client, station):
    StationMemberFactory(station=station, role="mediator", user=UserFactory(real_name="陈调解员"))
    body = client.get(reverse("legal_aid:station", args=[station.pk])).content.decode()
    assert "组织架构" in body and "陈调解员" in body and "调解员" in body


def test_event_page_registers_and_then_waitlists(client):
    event = LegalEventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    client.post(reverse("legal_aid:event_register", args=[event.pk]))
    client.force_login(second)
    response = client.post(reverse("legal_aid:event_register", args=[event.pk]), follow=True)
    assert "名额已满，您已进入候补名单" in response.content.decode()
    assert Enrolment.objects.get(person=second).state == "waiting"
    again = client.post(reverse("legal_aid:event_register", args=[event.pk]), follow=True)
    assert "您已经报名了这个活动。" in again.content.decode() and Enrolment.objects.filter(person=second).count() == 1


def test_role_links_appear_for_the_roles(client, user_with_role, officer):
    client.force_login(officer)
    body = client.get(reverse("legal_aid:index")).content.decode()
    assert "咨询分派" in body
    lawyer_user = user_with_role("lawyer")
    client.force_login(lawyer_user)
    assert "我的值班" in client.get(reverse("legal_aid:index")).content.decode()


def test_index_map_lists_public_stations_only(client, station):
    planned = LegalStationFactory(name="筹建站", status="planned", status_reason="筹建中", opened_on=None)
    response = client.get(reverse("legal_aid:index"))
    points = response.context["map_config"]["points"]
    assert [p["name"] for p in points] == ["老黄维权站"]
    assert planned.name not in response.content.decode()


@pytest.mark.parametrize("who", [None, "worker"])
def test_public_pages_stay_within_eight_queries(client, django_assert_max_num_queries, who, station, lawyer, worker):
    """Every public page, anonymous or signed in, at two data sizes (the issue "fast public pages")."""
    event = LegalEventFactory()
    if who:
        client.force_login(worker)
        services.event_register(event=event, user=worker)
    for size in (1, 6):
        grow(station, lawyer, size)
        event.invitees.create(name=f"嘉宾{size}", category="npc")
        for url in (
            reverse("legal_aid:index"),
            reverse("legal_aid:station", args=[station.pk]),
            reverse("legal_aid:events"),
            reverse("legal_aid:event", args=[event.pk]),
        ):
            with django_assert_max_num_queries(8):
                response = client.get(url)
            assert response.status_code == 200


def test_event_page_offers_no_form_and_no_csrf_token_to_anonymous_visitors(client, worker):
    event = LegalEventFactory()
    event.invitees.create(name="张代表", category="npc")
    event.invitees.create(name="李委员", category="cppcc")
    page = client.get(reverse("legal_aid:event", args=[event.pk])).content.decode()
    assert "csrfmiddlewaretoken" not in page and "<form" not in page
    assert "?next=" in page
    assert "人大代表 1" in page and "政协委员 1" in page
    client.force_login(worker)
    page = client.get(reverse("legal_aid:event", args=[event.pk])).content.decode()
    assert "csrfmiddlewaretoken" in page
    assert "签到与人数登记" not in page


@pytest.mark.parametrize("name", ["index", "station", "events"])
def test_public_listing_pages_carry_no_csrf_token_for_anonymous_visitors(client, station, lawyer, name):
    LegalEventFactory()
    args = [station.pk] if name == "station" else []
    page = client.get(reverse(f"legal_aid:{name}", args=args)).content.decode()
    assert "csrfmiddlewaretoken" not in page
