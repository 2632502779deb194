"""Reading the sitemap as a crawler does: the index at /sitemap.xml, then every file it lists."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locs(response, root_tag: str) -> list[str]:
    """The <loc> of every entry of a sitemap file (parsed: the XML must be well formed)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{NS}{root_tag}", root.tag
    return [entry.findtext(f"{NS}loc") for entry in root]


def index_files(client) -> list[str]:
    """The files the index lists, as paths with their query (``/sitemap-news.xml?p=2``)."""
    found = []
    for loc in locs(client.get("/sitemap.xml"), "sitemapindex"):
        parts = urlsplit(loc)
        assert (parts.scheme, parts.netloc) == ("http", "testserver"), loc
        found.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return found


def file_urls(client, path: str) -> list[str]:
    """The page URLs one sitemap file lists."""
    return locs(client.get(path), "urlset")


def every_url(client) -> list[str]:
    """Every page URL of every file the index lists."""
    return [url for path in index_files(client) for url in file_urls(client, path)]
