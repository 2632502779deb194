from urllib.robotparser import RobotFileParser

import pytest

pytestmark = pytest.mark.django_db


def _robots(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return response, parser


def test_robots_txt_opens_the_public_site_and_closes_private_paths(client):
    _, robots = _robots(client)
    for public in ("/", "/news/", "/news/12/", "/ten-things/2025/", "/stations/3/", "/legal/events/", "/innovation/"):
        assert robots.can_fetch("*", public), public
    for private in ("/admin/", "/me/", "/accounts/login/", "/api/v1/news/", "/legal/triage/", "/members/verify/x/"):
        assert not robots.can_fetch("*", private), private


def test_robots_txt_names_the_sitemap_index_at_the_site_url(client, settings):
    settings.SITE_URL = "https://gh.example.cn/"
    _, robots = _robots(client)
    assert robots.site_maps() == ["https://gh.example.cn/sitemap.xml"]


def test_robots_txt_is_kept_by_the_page_cache_like_a_public_page(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    client.get("/robots.txt")
    assert client.get("/robots.txt")["X-Page-Cache"] == "hit"
