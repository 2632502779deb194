import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.reminders.models import Notification
from apps.stations import services
from apps.stations.models import Rating, Report, Station, Visit

from .factories import StationFactory

pytestmark = pytest.mark.django_db


def _messages(response):
    """What the person reads after the form: flash messages and the result shown in its place."""
    if not response.context:
        return []
    found = [str(m) for m in response.context["messages"]]
    result = response.context.get("result") or {}
    found += result.get("lines", [])
    form = response.context.get("rating_form")
    if form is not None and form.is_bound:
        found += [str(e) for errors in form.errors.values() for e in errors]
    return found


def test_rating_needs_a_signed_in_worker(client, station):
    response = client.post(reverse("stations:feedback", args=[station.pk]), {"score": "5"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "five", ""])
def test_rating_outside_one_to_five_is_refused_and_nothing_saved(client, station, worker, score):
    client.force_login(worker)
    response = client.post(reverse("stations:feedback", args=[station.pk]), {"score": score}, follow=True)
    assert any("评分" in m for m in _messages(response))
    assert not Rating.objects.exists()


def test_database_refuses_a_score_of_six_even_without_the_form(station, worker):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(station=station, user=worker, score=6)


def test_comment_appears_only_after_moderation_and_average_updates(client, station, worker):
    client.force_login(worker)
    client.post(reverse("stations:feedback", args=[station.pk]), {"score": "4", "comment": "热饭很方便"})
    body = client.get(station.get_absolute_url()).content.decode()
    assert "4.0 / 5" in body
    assert "职工留言" not in body  # the pending comment is not shown to anyone yet
    assert not Rating.objects.approved_comments().exists()
    services.rating_moderate(rating=Rating.objects.get(), approve=True)
    body = client.get(station.get_absolute_url()).content.decode()
    assert "职工留言" in body and "热饭很方便" in body


def test_second_rating_by_the_same_worker_replaces_the_first(client, station, worker):
    client.force_login(worker)
    client.post(reverse("stations:feedback", args=[station.pk]), {"score": "2"})
    client.post(reverse("stations:feedback", args=[station.pk]), {"score": "5"})
    assert list(Rating.objects.values_list("score", flat=True)) == [5]


def test_broken_equipment_report_reaches_the_keepers_once(
    client, station, worker, keeper, django_capture_on_commit_callbacks
):
    client.force_login(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stations:feedback", args=[station.pk]),
            {"score": "2", "report_kind": "broken", "report_note": "微波炉不加热"},
            follow=True,
        )
    assert any("驿站管理员" in m for m in _messages(response))
    report = Report.objects.get()
    notes = Notification.objects.filter(user=keeper, kind="stations.report")
    assert notes.count() == 1
    assert "设备损坏" in notes.get().title
    assert services.report_notify_keepers(report_id=report.pk) == 0  # a retried task sends nothing new
    assert Notification.objects.filter(user=keeper).count() == 1
    assert not Notification.objects.filter(user=worker).exists()


def test_signed_in_check_in_records_one_visit_per_hour(client, station, worker):
    client.force_login(worker)
    url = reverse("stations:checkin", args=[station.pk])
    first = client.post(url, {"occupation": "sanitation"}, follow=True)
    assert any("签到成功" in m for m in _messages(first))
    second = client.post(url, {"occupation": "sanitation"}, follow=True)
    assert any("本小时内已在此驿站签到过" in m for m in _messages(second))
    visit = Visit.objects.get()
    assert visit.user == worker and visit.visitor == f"u{worker.pk}"


def test_anonymous_check_in_is_keyed_by_a_cookie(client, station):
    url = reverse("stations:checkin", args=[station.pk])
    client.post(url, {"occupation": "delivery"})
    assert "stations_visitor" in client.cookies
    second = client.post(url, {"occupation": "delivery"}, follow=True)
    assert any("本小时内已在此驿站签到过" in m for m in _messages(second))
    assert Visit.objects.count() == 1
    other_phone = type(client)()
    other_phone.post(url, {"occupation": "courier"})
    assert Visit.objects.count() == 2
    assert Visit.objects.filter(user__isnull=True).count() == 2


def test_check_in_needs_a_known_occupation(client, station):
    response = client.post(reverse("stations:checkin", args=[station.pk]), {"occupation": "pilot"}, follow=True)
    assert any("请选择列表中的职业" in m for m in _messages(response))
    assert not Visit.objects.exists()


def test_next_hour_counts_as_a_new_visit(station, worker):
    now = timezone.now().replace(minute=50)
    services.visit_record(station=station, occupation="sanitation", user=worker, now=now)
    with pytest.raises(services.AlreadyCheckedIn):
        services.visit_record(
            station=station, occupation="sanitation", user=worker, now=now + datetime.timedelta(minutes=5)
        )
    services.visit_record(
        station=station, occupation="sanitation", user=worker, now=now + datetime.timedelta(minutes=15)
    )
    assert Visit.objects.count() == 2


def test_no_check_in_at_a_suspended_station(client):
    station = StationFactory(status=Station.Status.SUSPENDED, status_reason="维修")
    response = client.post(reverse("stations:checkin", args=[station.pk]), {"occupation": "sanitation"}, follow=True)
    assert any("不开放" in m for m in _messages(response))
    assert not Visit.objects.exists()


def test_door_qr_page_puts_check_in_first(client, station):
    body = client.get(station.get_absolute_url() + "?qr=1").content.decode()
    assert body.index('id="checkin"') < body.index('id="nav-title"')


def test_me_page_lists_a_workers_ratings(client, station):
    user = UserFactory()
    services.rating_submit(station=station, user=user, score=5)
    client.force_login(user)
    body = client.get(reverse("accounts:me")).content.decode()
    assert "我的评价" in body and station.name in body


def test_an_approved_comment_is_signed_with_the_family_name_only(client):
    from apps.stations.models import Rating

    station = StationFactory()
    worker = UserFactory(real_name="刘建国")
    Rating.objects.create(
        station=station, user=worker, score=5, comment="热水很方便", moderation=Rating.Moderation.APPROVED
    )
    html = client.get(station.get_absolute_url()).content.decode()
    assert "热水很方便" in html and "刘**" in html and "刘建国" not in html
    client.force_login(UserFactory())
    html = client.get(station.get_absolute_url()).content.decode()
    assert "署名只显示姓氏" in html  # said where a comment is written


def test_anonymous_check_in_is_checked_by_origin_not_token(station):
    """The station page is cached for anonymous visitors, so its check-in form carries no token;
    a post must come from this site's own pages instead."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(station.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in page
    url = reverse("stations:checkin", args=[station.pk])
    assert browser.post(url, {"occupation": "courier"}, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert browser.post(url, {"occupation": "courier"}).status_code == 403  # neither Origin nor Referer
    referer = browser.post(url, {"occupation": "courier"}, HTTP_REFERER="http://evil.example/stations/")
    assert referer.status_code == 403
    assert not Visit.objects.exists()
    ok = browser.post(url, {"occupation": "courier"}, HTTP_ORIGIN="http://testserver")
    assert ok.status_code == 302
    from_referer = Client(enforce_csrf_checks=True).post(
        url, {"occupation": "courier"}, HTTP_REFERER="http://testserver" + station.get_absolute_url()
    )
    assert from_referer.status_code == 302
    assert Visit.objects.filter(user__isnull=True).count() == 2


def test_signed_in_check_in_still_needs_the_token(station, worker):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(worker)
    url = reverse("stations:checkin", args=[station.pk])
    assert browser.post(url, {"occupation": "courier"}, HTTP_ORIGIN="http://testserver").status_code == 403
    page = browser.get(station.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(
        url, {"occupation": "courier", "csrfmiddlewaretoken": token}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert Visit.objects.get().user == worker
