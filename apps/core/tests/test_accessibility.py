"""axe-core (vendored from npm, static/vendor/axe/) on every public page and the main staff pages,
at phone (390 px) and desktop (1280 px) widths. Serious and critical violations fail the test.

/legal/ and /innovation/ are checked when their apps answer; pages of apps that are still being
built are listed in OPTIONAL and skipped only while they answer 404.
"""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.news.tests.factories import ArticleFactory, ColumnFactory, TagFactory
from apps.stations.tests.factories import StationFactory

TAP_TARGETS = ", ".join(
    [".breadcrumbs a", ".news-crumbs a", ".site-footer a", ".site-footer select", ".news-column-list a"]
    + [".leaflet-control-zoom a"]
)

AXE = "/static/vendor/axe/axe.min.js"
BLOCKING = {"serious", "critical"}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
OPTIONAL = {"/legal/", "/innovation/"}


@pytest.fixture
def site(transactional_db):
    from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, ReportFactory

    column = ColumnFactory(slug="yaowen", name="工会要闻")
    tag = TagFactory(name="驿站")
    ArticleFactory(title="较早的新闻", column=column)
    article = ArticleFactory(title="沧浪公园驿站正式开放", column=column, tags=[tag])
    ArticleFactory(title="较新的新闻", column=column)
    keeper = UserFactory(username="keeper", real_name="陈站长", roles=["station_keeper"])
    station = StationFactory(
        name="沧浪公园驿站",
        latitude=Decimal("32.935"),
        longitude=Decimal("119.840"),
        phone="0523-83230001",
        keepers=[keeper],
    )
    StationFactory(name="昭阳驿站", latitude=Decimal("32.930"), longitude=Decimal("119.841"), is_24h=False)
    item = ItemFactory()
    ReportFactory(indicator=IndicatorFactory(item=item))
    return {
        "article": article,
        "station": station,
        "item": item,
        "worker": UserFactory(username="worker", real_name="王师傅"),
        "keeper": keeper,
        "staff": UserFactory(username="boss", real_name="管理员", is_staff=True, is_superuser=True),
        "leader": UserFactory(username="leader", real_name="张领导", roles=["leader"]),
    }


def _pages(site):
    article, station, item = site["article"], site["station"], site["item"]
    public = [
        "/",
        reverse("news:list"),
        reverse("news:list") + "?q=拖欠工资怎么办",
        article.get_absolute_url(),
        reverse("stations:list"),
        station.get_absolute_url(),
        reverse("tenthings:current"),
        reverse("tenthings:item", args=[item.plan.year, item.number]),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_request_login_code"),
        "/legal/",
        "/innovation/",
    ]
    signed_in = [
        ("worker", reverse("accounts:me")),
        ("worker", reverse("reminders:inbox")),
        ("worker", station.get_absolute_url()),
        ("keeper", station.get_absolute_url()),
        ("keeper", reverse("stations:keeper")),
        ("leader", reverse("dashboard:index")),
        ("staff", "/admin/"),
        ("staff", reverse("admin:news_article_change", args=[article.pk])),
        ("staff", reverse("admin:tenthings_item_change", args=[item.pk])),
    ]
    return [(None, path) for path in public] + signed_in


def _sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", "pass-1234-word")
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _axe(page, base):
    page.add_script_tag(url=base + AXE)  # same origin: the CSP allows it, no inline script
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [v for v in results if v["impact"] in BLOCKING]


def _small_targets(page):
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.textContent.trim().slice(0, 12) || e.className, Math.round(e.getBoundingClientRect().height)])
            .filter(([, h]) => h < 44)""",
        TAP_TARGETS,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_have_no_serious_or_critical_accessibility_violations(browser, live_server, site, width):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN", is_mobile=w < 500)
    page = context.new_page()
    base = live_server.url
    # No outside requests (map tiles): pages must be accessible without them.
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    failures, skipped, current = {}, [], None
    for who, path in _pages(site):
        if who != current:
            if who:
                _sign_in(page, base, site[who])
            else:
                page.context.clear_cookies()
            current = who
        response = page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if path in OPTIONAL and response.status == 404:
            skipped.append(path)
            continue
        assert response.status == 200, f"{path} as {who or 'visitor'} answered {response.status}"
        overflow = page.evaluate("document.documentElement.scrollWidth")
        if overflow > w:
            failures[f"{who or 'visitor'} {path}"] = [{"id": "page-overflow", "width": overflow}]
        violations = _axe(page, base)
        small = _small_targets(page) if not path.startswith("/admin/") else []
        if small:
            violations.append({"id": "tap-target-under-44px", "nodes": small})
        if violations:
            failures[f"{who or 'visitor'} {path}"] = violations
    context.close()
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)


@pytest.mark.django_db
def test_the_language_picker_names_each_language_in_itself(client):
    html = client.get("/").content.decode()
    assert 'lang="en" hreflang="en" rel="nofollow">English</a>' in html
    assert 'lang="zh-hans" hreflang="zh-hans" rel="nofollow" aria-current="true">简体中文</a>' in html
    assert ">英语</a>" not in html
