"""Every page of the sitemap as a search engine and a WeChat-like card renderer read it: a
canonical link and the Open Graph title, description and image, parsed from the HTML."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from apps.core.tests.sitemap_files import every_url
from apps.legal_aid.tests.factories import LegalEventFactory, LegalStationFactory
from apps.news.tests.factories import ArticleFactory
from apps.stations.tests.factories import StationFactory
from apps.tenthings.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

MAX_PAGES = 60  # bound the crawl: one page per kind is what the test is about


class OpenGraph(HTMLParser):
    """What a share-card renderer keeps from a page's head: ``og:*``/``twitter:*`` meta,
    the meta description, the canonical link and the title."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content") or "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href") or "")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def card(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    parser = OpenGraph()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def records():
    ArticleFactory(title="职工疗休养报名开始", summary="今年的职工疗休养开始报名。")
    StationFactory()
    LegalStationFactory()
    LegalEventFactory()
    ItemFactory()


def test_every_sitemap_page_has_a_canonical_link_and_a_complete_share_card(client, records, settings):
    settings.SITE_URL = "https://gh.example.cn"
    urls = every_url(client)
    assert len(urls) >= 6
    for url in urls[:MAX_PAGES]:
        path = urlsplit(url).path
        page = card(client, path)
        assert len(page.canonical) == 1, (path, page.canonical)
        assert page.canonical[0].startswith("https://gh.example.cn/"), (path, page.canonical)
        for key in ("og:title", "og:description", "og:image", "og:url", "og:type", "og:locale", "twitter:card"):
            values = page.meta.get(key, [])
            assert len(values) == 1 and values[0].strip(), (path, key, values)
        assert page.meta["og:image"][0].startswith("https://gh.example.cn/"), path
        assert page.meta["og:url"] == page.canonical, path
        assert page.meta["description"] == page.meta["og:description"], path


def test_a_shared_article_shows_its_title_summary_and_an_image(client, settings):
    settings.SITE_URL = "https://gh.example.cn"
    article = ArticleFactory(title="职工疗休养报名开始", summary="今年的职工疗休养开始报名。")
    page = card(client, article.get_absolute_url())
    assert page.meta["og:title"] == ["职工疗休养报名开始"]
    assert page.meta["og:description"] == ["今年的职工疗休养开始报名。"]
    assert page.meta["og:type"] == ["article"]
    assert page.meta["og:image"][0].startswith("https://gh.example.cn/static/")
    assert page.canonical == [f"https://gh.example.cn{article.get_absolute_url()}"]


def test_the_canonical_link_leaves_out_the_query(client, settings):
    settings.SITE_URL = "https://gh.example.cn"
    page = card(client, "/news/?page=1&utm_source=wechat")
    assert page.canonical == ["https://gh.example.cn/news/"]


def test_legal_events_on_different_days_have_different_titles_and_their_own_description(client):
    first = LegalEventFactory(title="劳动法宣讲", place="昭阳街道")
    next_week = first.starts_at + timezone.timedelta(days=7)
    second = LegalEventFactory(title="劳动法宣讲", place="昭阳街道", starts_at=next_week)
    pages = [card(client, f"/legal/events/{event.pk}/") for event in (first, second)]
    assert pages[0].title != pages[1].title
    assert timezone.localtime(second.starts_at).strftime("%Y-%m-%d") in pages[1].meta["og:title"][0]
    assert "昭阳街道" in pages[0].meta["description"][0]


def test_a_legal_station_describes_itself(client):
    station = LegalStationFactory(description="每周三律师坐班，免费咨询劳动争议。")
    page = card(client, f"/legal/stations/{station.pk}/")
    assert "每周三律师坐班" in page.meta["og:description"][0]


def test_this_years_ten_things_has_one_canonical_url_the_years(client, settings):
    settings.SITE_URL = "https://gh.example.cn"
    year = timezone.localdate().year
    ItemFactory(plan__year=year)
    assert card(client, "/ten-things/").canonical == [f"https://gh.example.cn/ten-things/{year}/"]
    assert card(client, f"/ten-things/{year}/").canonical == [f"https://gh.example.cn/ten-things/{year}/"]
