"""Anonymous reads of /api/v1/: every public operation answers from the pages' selectors, pages
by cursor, carries an ETag, and runs a fixed number of queries however much data there is."""

import datetime

import pytest
from django.utils import timezone

from apps.innovation.tests.factories import ServiceVisitFactory
from apps.legal_aid.tests.factories import DutyShiftFactory, LegalEventFactory, LegalStationFactory
from apps.news.models import Article
from apps.news.tests.factories import ArticleFactory, ColumnFactory, TagFactory
from apps.stations.tests.factories import StationFactory
from apps.tenthings.tests.factories import ItemFactory, PlanFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _articles(n, **fields):
    now = timezone.now()
    return [ArticleFactory(published_at=now - datetime.timedelta(hours=i + 1), **fields) for i in range(n)]


# --- news ---------------------------------------------------------------------------------


def test_news_list_pages_by_cursor_newest_first_without_repeats(client):
    made = _articles(5)
    first = client.get("/api/v1/news/articles", {"limit": 2}).json()
    second = client.get("/api/v1/news/articles", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = client.get("/api/v1/news/articles", {"limit": 2, "cursor": second["next_cursor"]}).json()
    ids = [a["id"] for page in (first, second, third) for a in page["items"]]
    assert ids == [a.pk for a in made]
    assert third["next_cursor"] is None


def test_a_row_added_meanwhile_does_not_repeat_the_next_page(client):
    made = _articles(4)
    first = client.get("/api/v1/news/articles", {"limit": 2}).json()
    ArticleFactory(published_at=timezone.now())  # newer than all: belongs before page one
    second = client.get("/api/v1/news/articles", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [a["id"] for a in second["items"]] == [made[2].pk, made[3].pk]


def test_a_forged_cursor_is_refused_in_the_error_shape(client):
    response = client.get("/api/v1/news/articles", {"cursor": "not-a-cursor"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "bad_cursor" and "cursor" in body["fields"] and body["message"]


def test_news_list_filters_by_column_and_tag_and_leaves_drafts_out(client):
    column, tag = ColumnFactory(slug="weiquan"), TagFactory(slug="laomo")
    wanted = ArticleFactory(column=column, tags=[tag])
    ArticleFactory()
    ArticleFactory(column=column, status=Article.Status.DRAFT)
    by_column = client.get("/api/v1/news/articles", {"column": "weiquan"}).json()["items"]
    by_tag = client.get("/api/v1/news/articles", {"tag": "laomo"}).json()["items"]
    assert [a["id"] for a in by_column] == [wanted.pk] == [a["id"] for a in by_tag]


def test_news_search_finds_the_word_and_marks_it(client):
    found = ArticleFactory(title="职工驿站新添热饭设备", body="<p>户外劳动者驿站可以热饭。</p>")
    ArticleFactory(title="劳模座谈会")
    items = client.get("/api/v1/news/search", {"q": "驿站"}).json()["items"]
    assert [a["id"] for a in items] == [found.pk]
    assert "<mark>驿站</mark>" in items[0]["snippet"]


def test_news_detail_and_columns(client):
    column = ColumnFactory(name="工会要闻", slug="yaowen")
    older, article = _articles(2, column=column)[::-1]
    body = client.get(f"/api/v1/news/articles/{article.pk}").json()
    assert body["title"] == article.title and "<p>" in body["body"] and body["older"]["id"] == older.pk
    assert {"slug": "yaowen", "name": "工会要闻"} in client.get("/api/v1/news/columns").json()


def test_an_unpublished_article_is_404_in_the_error_shape(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    response = client.get(f"/api/v1/news/articles/{draft.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_public_lists_carry_an_etag_and_answer_304_to_it(client):
    _articles(2)
    response = client.get("/api/v1/news/articles")
    etag = response["ETag"]
    assert etag.startswith('W/"') and "public" in response["Cache-Control"]
    assert client.get("/api/v1/news/articles", HTTP_IF_NONE_MATCH=etag).status_code == 304
    ArticleFactory(published_at=timezone.now())
    assert client.get("/api/v1/news/articles", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("more", [2, 12])
def test_news_list_queries_do_not_grow_with_the_news(client, django_assert_max_num_queries, more):
    _articles(more)
    with django_assert_max_num_queries(1):
        assert len(client.get("/api/v1/news/articles", {"limit": 20}).json()["items"]) == more


# --- ten things ---------------------------------------------------------------------------


@pytest.fixture
def plan():
    plan = PlanFactory(year=timezone.localdate().year)
    item = ItemFactory(plan=plan, number=1, title="职工免费体检")
    ReportFactory(indicator__item=item, reported_on=timezone.localdate(), narrative="体检 120 人")
    ReportFactory(indicator__item=item, reported_on=timezone.localdate(), narrative="待核实", status="submitted")
    return plan


def test_ten_things_years_year_and_item_with_verified_reports_only(client, plan):
    assert client.get("/api/v1/tenthings/years").json()[0]["year"] == plan.year
    year = client.get(f"/api/v1/tenthings/years/{plan.year}").json()
    assert [i["title"] for i in year["items"]] == ["职工免费体检"]
    item = client.get(f"/api/v1/tenthings/years/{plan.year}/items/1").json()
    assert [r["narrative"] for r in item["reports"]] == ["体检 120 人"]
    assert item["indicators"][0]["actual"] == "10" or float(item["indicators"][0]["actual"]) == 10


def test_ten_things_unknown_year_and_item_are_404(client, plan):
    assert client.get(f"/api/v1/tenthings/years/{plan.year - 30}").status_code == 404
    assert client.get(f"/api/v1/tenthings/years/{plan.year}/items/9").status_code == 404


@pytest.mark.parametrize("items", [1, 8])
def test_ten_things_year_queries_do_not_grow_with_the_items(client, django_assert_max_num_queries, items):
    plan = PlanFactory(year=timezone.localdate().year)
    for n in range(1, items + 1):
        ReportFactory(indicator__item=ItemFactory(plan=plan, number=n))
    with django_assert_max_num_queries(3):
        assert len(client.get(f"/api/v1/tenthings/years/{plan.year}").json()["items"]) == items


# --- stations -----------------------------------------------------------------------------


def test_stations_list_pages_by_cursor(client):
    for _ in range(23):
        StationFactory()
    first = client.get("/api/v1/stations/").json()
    second = client.get("/api/v1/stations/", {"cursor": first["next_cursor"]}).json()
    assert first["count"] == 23 and len(first["items"]) == 20 and len(second["items"]) == 3
    assert second["next_cursor"] is None
    assert not {s["id"] for s in first["items"]} & {s["id"] for s in second["items"]}


def test_stations_nearest_first_with_distances(client):
    far = StationFactory(latitude="33.100000", longitude="120.000000")
    near = StationFactory(latitude="32.931000", longitude="119.841000")
    rows = client.get("/api/v1/stations/nearest", {"lat": "32.93", "lng": "119.84"}).json()
    assert [r["id"] for r in rows] == [near.pk, far.pk] and rows[0]["distance_m"] < rows[1]["distance_m"]


def test_stations_nearest_refuses_a_bad_point_with_the_pages_message(client):
    response = client.get("/api/v1/stations/nearest", {"lat": "123", "lng": "119.84"})
    assert response.status_code == 422
    assert response.json()["message"].startswith("无法识别您的位置")


def test_station_detail_markers_and_404(client):
    station = StationFactory(name="昭阳驿站")
    assert client.get(f"/api/v1/stations/{station.pk}").json()["name"] == "昭阳驿站"
    assert client.get("/api/v1/stations/markers").json()["count"] == 1
    assert client.get(f"/api/v1/stations/{station.pk + 99}").status_code == 404


@pytest.mark.parametrize("more", [3, 30])
def test_stations_list_queries_do_not_grow(client, django_assert_max_num_queries, more):
    for _ in range(more):
        StationFactory()
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/stations/").json()["count"] == more


# --- legal aid ----------------------------------------------------------------------------


def test_legal_stations_duty_today_and_events(client):
    station = LegalStationFactory(name="老黄维权站")
    DutyShiftFactory(station=station, date=timezone.localdate())
    DutyShiftFactory(station=station, date=timezone.localdate() + datetime.timedelta(days=3))
    event = LegalEventFactory(title="以案普法")
    assert [s["name"] for s in client.get("/api/v1/legal_aid/stations").json()] == ["老黄维权站"]
    assert len(client.get("/api/v1/legal_aid/duty/today").json()) == 1
    assert len(client.get("/api/v1/legal_aid/duty/week").json()) == 2
    assert client.get(f"/api/v1/legal_aid/stations/{station.pk}").json()["shifts"]
    assert [e["title"] for e in client.get("/api/v1/legal_aid/events").json()] == ["以案普法"]
    assert client.get(f"/api/v1/legal_aid/events/{event.pk}").json()["confirmed"] == 0


def test_legal_events_archive_pages_by_cursor(client):
    for days in range(1, 4):
        LegalEventFactory(status="held", starts_at=timezone.now() - datetime.timedelta(days=days))
    first = client.get("/api/v1/legal_aid/events/archive", {"limit": 2}).json()
    second = client.get("/api/v1/legal_aid/events/archive", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None


@pytest.mark.parametrize("more", [1, 10])
def test_legal_lists_queries_do_not_grow(client, django_assert_max_num_queries, more):
    for _ in range(more):
        station = LegalStationFactory()
        DutyShiftFactory(station=station, date=timezone.localdate())
        LegalEventFactory()
    with django_assert_max_num_queries(1):
        assert len(client.get("/api/v1/legal_aid/stations").json()) == more
    with django_assert_max_num_queries(1):
        assert len(client.get("/api/v1/legal_aid/duty/today").json()) == more
    with django_assert_max_num_queries(1):
        assert len(client.get("/api/v1/legal_aid/events").json()) == more


# --- innovation ---------------------------------------------------------------------------


def test_innovation_figures_and_projects(client):
    ServiceVisitFactory(date=timezone.localdate(), workers_trained=12)
    body = client.get("/api/v1/innovation/figures").json()
    assert body["service"]["trained"] == 12
    assert client.get("/api/v1/innovation/projects").json() == []
    assert client.get("/api/v1/innovation/projects/999").status_code == 404
