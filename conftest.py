"""Fixtures shared by every app's tests."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself (factories, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own temp dir, never in the repo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_demo_data_yet():
    """Each test starts on an empty database, so the site-wide demo notice's kept answer is
    "no demo data" (a test that adds demo rows commits them, or calls load_demo, which says so)."""
    from apps.core.registry import demo_changed, forget_kept_answers

    forget_kept_answers()
    demo_changed(False)
    yield
    forget_kept_answers()


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """A test's holidays roll back with its transaction; the process's kept copy must go too."""
    from apps.core.workdays import calendar_changed

    calendar_changed()
    yield
    calendar_changed()


@pytest.fixture
def user_with_role(db):
    """``user_with_role("lawyer", real_name=…)``: a new person holding a role (or several: pass a
    list), with the role groups' permissions synced first — the one way tests make staff."""
    from apps.accounts.services import role_permissions_sync, user_role_add
    from apps.accounts.tests.factories import UserFactory

    role_permissions_sync()

    def make(roles, **fields):
        user = UserFactory(**fields)
        for role in [roles] if isinstance(roles, str) else roles:
            user_role_add(user=user, role=role)
        return user

    return make


def require_service(name: str, ok: bool, why: str) -> None:
    """In CI a missing service fails the test; on a laptop it skips with the reason."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI: {why}")
    pytest.skip(f"{name} not available: {why}")


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (Playwright cannot download its own here)."""
    ok = shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)
    require_service("Chromium", ok, f"{CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page (390×844, touch) in a fresh context."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_login(live_server):
    """Sign a Playwright page in as a user (through the real login form)."""

    def login(page, user, password="pass-1234-word"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", user.username)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return login


def pytest_collection_modifyitems(config, items):
    """Browser, worker and subprocess tests are also ``slow``: ``pytest -m 'not slow'`` runs the
    fast inner loop in seconds."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("services"):
            item.add_marker(pytest.mark.slow)


def test_database_url() -> str:
    """The URL of the PostgreSQL test database, for a worker or server a test starts."""
    from django.db import connection

    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # a helper, not a test
