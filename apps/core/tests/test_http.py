"""One safe-redirect helper for every ``next``."""

import pytest
from django.test import RequestFactory

from apps.core.http import redirect_next, safe_next


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/legal/triage/?page=2", "/legal/triage/?page=2"),
        ("https://evil.example/phish", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("  ", "/fallback/"),
        ("word", "word"),  # a relative path on this site is fine; it is never taken for a URL name
    ],
)
def test_next_stays_on_this_site(value, expected):
    request = RequestFactory().post("/x/", {"next": value})
    assert safe_next(request, "/fallback/") == expected


def test_redirect_next_is_a_plain_redirect_for_any_value():
    request = RequestFactory().get("/x/", {"next": "javascript:alert(1)"})
    response = redirect_next(request, "/fallback/")
    assert response.status_code == 302 and response["Location"] == "/fallback/"


def test_the_language_switch_and_a_notification_follow_only_this_sites_links(client, db):
    from apps.accounts.tests.factories import UserFactory
    from apps.reminders.models import Notification

    response = client.get("/i18n/language/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    person = UserFactory()
    note = Notification.objects.create(user=person, key="x", title="t", url="javascript:alert(1)")
    client.force_login(person)
    response = client.get(f"/me/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/me/notifications/"


@pytest.mark.parametrize("page", [str(2**63), str(2**64 + 5), "-3", "1e9", "abc", "9" * 40])
def test_out_of_range_page_numbers_answer_a_page_not_a_500(client, db, page):
    from apps.stations.tests.factories import StationFactory

    StationFactory()
    for url, status in (("/stations/", 200), ("/news/", 200), ("/ten-things/", 200), ("/me/notifications/", 302)):
        response = client.get(url, {"page": page})
        assert response.status_code == status, (url, page, response.status_code)  # 302: sign in first


def test_int_param_clamps_and_defaults():
    from apps.core.http import MAX_PAGE, int_param, page_number

    assert page_number(RequestFactory().get("/", {"page": str(2**63)})) == MAX_PAGE
    assert page_number(RequestFactory().get("/", {"page": "0"})) == 1
    assert int_param(RequestFactory().get("/", {"n": "x"}), "n", default=7) == 7


def test_a_nul_character_in_a_query_is_refused_not_a_500(client, db):
    assert client.get("/news/", {"column": "a\x00b"}).status_code == 400
    response = client.get("/api/v1/news/articles", {"column": "a\x00b"})
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert client.get("/api/v1/news/articles", {"year": "99999"}).status_code == 422
