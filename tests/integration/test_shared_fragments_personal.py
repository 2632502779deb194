"""Nothing personal leaks through what signed-in pages share (apps/core/pagecache.py fragments,
apps/core/personal.py entries): two people, two different personal values, each sees their own,
with the fragment and personal caches on and every write committed."""

import pytest
from django.core.cache import caches
from django.test import Client

from apps.accounts.services import user_role_add
from apps.accounts.tests.factories import UserFactory
from apps.news.tests.factories import ArticleFactory
from apps.reminders.services import notification_send
from apps.stations.models import Rating
from apps.stations.tests.factories import StationFactory
from apps.tenthings.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_caches(settings):
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.PERSONAL_CACHE_ENABLED = True
    caches["default"].clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def two(commit):
    """Two workers with their own names and their own unread counts (1 and 3)."""
    with commit():
        one, other = UserFactory(real_name="孙立平"), UserFactory(real_name="钱晓燕")
        notification_send(user=one, key="leak-a", title="一")
        for n in range(3):
            notification_send(user=other, key=f"leak-b{n}", title="二")
    first, second = Client(), Client()
    first.force_login(one)
    second.force_login(other)
    return {"one": one, "other": other, "first": first, "second": second}


def each_sees_their_own(two, url):
    for _ in range(2):  # the first request builds what is shared, the second reads it
        mine, theirs = two["first"].get(url), two["second"].get(url)
        assert mine.status_code == 200 and theirs.status_code == 200, url
        mine, theirs = mine.content.decode(), theirs.content.decode()
        assert "孙立平" in mine and "钱晓燕" not in mine and 'unread-count">1<' in mine, url
        assert "钱晓燕" in theirs and "孙立平" not in theirs and 'unread-count">3<' in theirs, url
    return mine, theirs


@pytest.fixture
def site(commit):
    with commit():
        article = ArticleFactory(title="共享片段不带个人信息")
        indicator = IndicatorFactory(item__plan__year=2024, item__number=1)
        station = StationFactory(name="片段驿站")
    return {"article": article, "item": indicator.item, "station": station}


@pytest.mark.parametrize(
    "name",
    ["/", "/news/", "article", "/ten-things/", "/ten-things/2024/", "/ten-things/2024/1/", "/stations/", "station"]
    + ["/legal/", "/innovation/", "/me/", "/me/notifications/"],
)
def test_the_header_of_every_shared_page_is_each_visitors_own(two, site, name):
    url = {"article": site["article"].get_absolute_url(), "station": site["station"].get_absolute_url()}.get(name, name)
    each_sees_their_own(two, url)


def test_the_shared_station_page_carries_each_visitors_own_rating_and_keeper_card(two, site, commit):
    station = site["station"]
    with commit():
        Rating.objects.create(station=station, user=two["one"], score=2, comment="孙师傅的私人留言")
        station.keepers.add(two["other"])
    mine, theirs = each_sees_their_own(two, station.get_absolute_url())
    assert "孙师傅的私人留言" in mine and "孙师傅的私人留言" not in theirs
    assert 'data-testid="door-qr"' in theirs and 'data-testid="door-qr"' not in mine


def test_the_shared_station_list_shows_the_keeper_link_to_keepers_only(two, site, commit):
    with commit():
        user_role_add(user=two["other"], role="station_keeper")
        site["station"].keepers.add(two["other"])
    mine, theirs = each_sees_their_own(two, "/stations/")
    assert "片段驿站" in mine and "片段驿站" in theirs
    assert "/stations/keeper/" in theirs and "/stations/keeper/" not in mine


def test_the_kept_me_panels_are_each_persons_own_and_follow_what_they_do(two, site, commit):
    station = site["station"]
    with commit():
        Rating.objects.create(station=station, user=two["one"], score=5, comment="")
    mine, theirs = each_sees_their_own(two, "/me/")
    assert "片段驿站" in mine and "片段驿站" not in theirs
    with commit():  # the other rates it on the page: their POST makes their kept panels stale
        response = two["second"].post(f"/stations/{station.pk}/feedback/", {"score": "4", "comment": ""})
    assert response.status_code in (200, 302)
    assert "片段驿站" in two["second"].get("/me/").content.decode()


def test_the_shared_dashboard_figures_carry_each_leaders_own_header(two, commit):
    with commit():
        for person in (two["one"], two["other"]):
            user_role_add(user=person, role="leader")
    mine, theirs = each_sees_their_own(two, "/dashboard/")
    assert "dashboard" in mine and "dashboard" in theirs
