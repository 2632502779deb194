"""After a check-in or a rating the result shows where the person tapped, and an error keeps the input."""

import pytest
from django.urls import reverse

from apps.stations.models import Rating, Visit

pytestmark = pytest.mark.django_db


def _section(body: str, anchor: str) -> str:
    start = body.index(f'id="{anchor}"')
    return body[start : body.index("</section>", start)]


def test_check_in_replaces_the_form_with_its_result_and_time(client, station):
    response = client.post(reverse("stations:checkin", args=[station.pk]), {"occupation": "sanitation"})
    assert response["Location"].endswith("#checkin")
    body = client.get(response["Location"].split("#")[0]).content.decode()
    card = _section(body, "checkin")
    assert "已签到 ✓" in card and 'data-testid="checkin-done"' in card
    assert 'name="occupation"' not in card  # the form is replaced, nothing to tap twice
    assert body.index('id="checkin"') < body.index('id="nav-title"')  # first on the page, in view
    assert 'class="messages"' not in body  # not a second copy far above
    # one page view: the next visit offers the form again
    assert 'name="occupation"' in _section(client.get(station.get_absolute_url()).content.decode(), "checkin")
    assert Visit.objects.count() == 1


def test_second_check_in_in_the_hour_says_so_in_place(client, station):
    url = reverse("stations:checkin", args=[station.pk])
    client.post(url, {"occupation": "sanitation"})
    client.get(station.get_absolute_url())
    client.post(url, {"occupation": "sanitation"})
    card = _section(client.get(station.get_absolute_url()).content.decode(), "checkin")
    assert "本小时已签到" in card and "每小时只记一次" in card


def test_rating_result_shows_at_the_feedback_form(client, station, worker):
    client.force_login(worker)
    response = client.post(
        reverse("stations:feedback", args=[station.pk]),
        {"score": "2", "report_kind": "broken", "report_note": "微波炉不加热"},
    )
    assert response["Location"].endswith("#feedback")
    card = _section(client.get(station.get_absolute_url()).content.decode(), "feedback")
    assert "评价已提交 ✓" in card and "驿站管理员" in card and "2★" in card


def test_rating_error_keeps_what_was_typed_and_answers_at_the_form(client, station, worker):
    client.force_login(worker)
    response = client.post(
        reverse("stations:feedback", args=[station.pk]),
        {"score": "", "comment": "热水不够热", "report_kind": "broken", "report_note": "饮水机坏了"},
    )
    assert response.status_code == 400
    card = _section(response.content.decode(), "feedback")
    assert "请选择评分。" in card
    assert "热水不够热" in card and 'value="饮水机坏了"' in card
    assert '<option value="broken" selected>' in card  # 反映问题 not reset to 没有问题
    assert f'action="{reverse("stations:feedback", args=[station.pk])}#feedback"' in card
    assert not Rating.objects.exists()
