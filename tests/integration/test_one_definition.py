"""One definition per count, stated where it is shown, and load_demo prints what the pages show."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.core import registry
from apps.stations.models import Station
from apps.stations.selectors import station_counts, station_search
from apps.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def _stations():
    StationFactory(status=Station.Status.OPEN, is_24h=True)
    StationFactory(status=Station.Status.OPEN, is_24h=True)
    StationFactory(status=Station.Status.OPEN, is_24h=False, kind=Station.Kind.READING_ROOM)
    StationFactory(status=Station.Status.SUSPENDED, is_24h=True, status_reason="维修")
    StationFactory(status=Station.Status.PLANNED, is_24h=True, opened_on=None, status_reason="筹建")
    StationFactory(status=Station.Status.CLOSED, is_24h=True, status_reason="拆除")


def test_station_counts_have_one_definition_shared_with_the_list_and_the_dashboard(django_assert_num_queries):
    _stations()
    with django_assert_num_queries(1):
        counts = station_counts()
    assert (counts.total, counts.listed, counts.open, counts.open_24h) == (6, 4, 3, 2)
    assert counts.listed == station_search().count()  # what /stations/ lists
    assert counts.caption == "共 6 个驿站（含筹建中和已关闭），地图上可查 4 个，正常开放 3 个，其中24小时开放 2 个"
    group = next(g for g in registry.dashboard_figures(2024) if g.key == "stations")
    open_figure = next(f for f in group.figures if f.key == "open")
    assert open_figure.value == counts.open and open_figure.definition == counts.caption


def test_the_dashboard_shows_the_station_caption_and_links_an_overdue_station(client, user_with_role):
    station = StationFactory(status=Station.Status.OPEN, opened_on=datetime.date(2020, 1, 1), name="逾期驿站")
    leader = user_with_role("leader")
    client.force_login(leader)
    body = client.get(reverse("dashboard:index")).content.decode()
    assert station_counts().caption in body
    assert reverse("stations:detail", args=[station.pk]) in body
    assert "逾期驿站" in body


def test_the_pledged_stations_count_the_brand_and_the_kind():
    from apps.stations.selectors import PLEDGE_BRAND

    day = datetime.date(2024, 6, 1)
    StationFactory(brand=PLEDGE_BRAND, opened_on=day)
    StationFactory(brand=PLEDGE_BRAND, opened_on=datetime.date(2024, 12, 31))
    StationFactory(brand="", opened_on=day)  # another brand's 24-hour station
    StationFactory(brand=PLEDGE_BRAND, opened_on=day, kind=Station.Kind.READING_ROOM, is_24h=False)
    StationFactory(brand=PLEDGE_BRAND, opened_on=day, status=Station.Status.PLANNED, status_reason="筹建")
    StationFactory(brand=PLEDGE_BRAND, opened_on=datetime.date(2025, 1, 1))
    assert registry.metric_value("stations.opened_24h", 2024) == 2


def test_the_demo_notice_answers_from_the_database(client, django_capture_on_commit_callbacks):
    from apps.core.models import Town
    from apps.core.registry import demo_models
    from apps.stations.tests.factories import StationFactory

    assert 'data-testid="demo-notice"' not in client.get(reverse("home")).content.decode()
    assert Station in demo_models()  # every model demo data creates carries the one marker
    with django_capture_on_commit_callbacks(execute=True):  # the write commits: the generation moves
        station = StationFactory(town=Town.objects.create(name="演示镇"), is_demo=True)
    for url in (reverse("home"), reverse("tenthings:current"), reverse("stations:list")):
        assert 'data-testid="demo-notice"' in client.get(url).content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        station.delete()
    assert 'data-testid="demo-notice"' not in client.get(reverse("home")).content.decode()


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_prints_the_figures_the_pages_show(demo, client):
    from apps.tenthings.models import Plan
    from apps.tenthings.selectors import plan_progress

    progress = plan_progress(Plan.objects.get(year=2024))
    # The figures printed at the end are those of the year page and the dashboard.
    printed = re.search(r"2024年十件实事：全年完成率 (\d+)%，已完成 (\d+)、未完成 (\d+)", demo)
    assert printed, demo
    assert int(printed[1]) == progress.percent_int
    counts = progress.status_counts
    assert (int(printed[2]), int(printed[3])) == tuple(counts.get(s, 0) for s in ("done", "unfinished"))
    year_page = client.get(reverse("tenthings:year", args=[2024])).content.decode()
    assert f'data-testid="plan-percent">{printed[1]}%<' in year_page
    assert f"已完成 {printed[2]}<" in year_page and f"未完成 {printed[3]}<" in year_page
    assert "正常推进" not in year_page
    # The station counts printed are the ones the dashboard states, in the same words.
    assert station_counts().caption in demo
    # The site says it holds demo data, and the invented progress is labelled.
    assert 'data-testid="demo-notice"' in year_page and 'data-testid="plan-demo"' in year_page


def test_the_demo_keeps_the_seed_facts(demo, client):
    from apps.news.models import Article
    from apps.tenthings.models import Indicator, Plan

    plan = Plan.objects.get(year=2024)
    # Item 5 counts what the pledge says, and the demo's stations agree with the task log (2 in 2024).
    pledge = Indicator.objects.get(item__plan=plan, item__number=5, metric_key="stations.opened_24h")
    assert "兴惠有你" in pledge.name and pledge.target == 2
    assert registry.metric_value("stations.opened_24h", 2024) == 2
    assert not Indicator.objects.filter(item__plan=plan, name="新建24小时驿站").exists()
    # Item 9: "为1万名以上基层职工" is 以上, not 不少于.
    served = Indicator.objects.get(item__plan=plan, item__number=9, name="法律服务")
    assert served.comparator == Indicator.Comparator.OVER and "以上" in str(served.target_label)
    # Stations the seed describes.
    liuze = Station.objects.get(name="刘泽村职工书屋")
    assert liuze.town.name == "海南镇"
    mingji = Station.objects.get(name="明己书院职工书屋")
    assert "300平方米" in mingji.description and mingji.honours == "省级职工书屋"
    page = client.get(reverse("stations:detail", args=[mingji.pk])).content.decode()
    assert "300平方米" in page and 'data-testid="station-demo"' in page
    canglang = Station.objects.get(name__startswith="沧浪公园")
    assert "热饭" in canglang.description and "桌子" in canglang.description
    base = Station.objects.get(code="XH-LC-003")  # 职工技能培训7点班实践基地: its purpose
    assert "7点班" in base.name and "电商直播培训" in base.description
    # Invented records carry the one demo marker; nobody "verified" invented details.
    assert not Station.objects.filter(is_demo=False).exists()
    assert not Station.objects.filter(verified_at__isnull=False).exists()
    # Article 3's lost passage is marked by an editor's note, not left as a broken sentence.
    article = Article.objects.get(title="江苏工人报社领导来兴调研采访工会工作")
    assert "【编者注】" in article.body and "优势，为在天气寒冷" not in article.body
