"""The English translation: complete, compiled, and actually shown when a visitor switches."""

import contextlib
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from apps.core.catalogues import parse_po

pytestmark = pytest.mark.django_db

PO_PATH = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|%%")


@pytest.fixture(scope="module", autouse=True)
def _compiled_messages():
    """`make test` compiles first; a bare `pytest` run compiles here when the .mo is missing or stale."""
    if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
        with contextlib.chdir(settings.BASE_DIR):
            call_command("compilemessages", locale=["en"], ignore_patterns=[".venv", "node_modules"], verbosity=0)
        # Catalogs loaded before the .mo existed are cached per process; drop them.
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
    yield


APP_CATALOGUES = sorted(settings.BASE_DIR.glob("apps/*/locale/en/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po_path", [PO_PATH, *APP_CATALOGUES], ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_english_entry_is_translated_and_not_fuzzy(po_path):
    entries = parse_po(po_path)
    header = [e for e in entries if e["msgid"] == ""]
    messages = [e for e in entries if e["msgid"] != ""]
    assert header and "fuzzy" not in header[0]["flags"], "the .po header is still fuzzy"
    assert len(messages) > 10
    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    missing_plural = [e["msgid"] for e in messages if e["msgid_plural"] is not None and len(e["msgstr"]) < 2]
    assert not untranslated, f"untranslated entries (run makemessages, then translate): {untranslated}"
    assert not fuzzy, f"fuzzy entries (check and remove the flag): {fuzzy}"
    assert not missing_plural, f"plural entries without both forms: {missing_plural}"


@pytest.mark.parametrize("po_path", [PO_PATH, *APP_CATALOGUES], ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_english_entries_keep_their_placeholders_and_newlines(po_path):
    problems = []
    for e in parse_po(po_path):
        if not e["msgid"]:
            continue
        sources = [e["msgid"], e["msgid_plural"] or e["msgid"]]
        for index, msgstr in sorted(e["msgstr"].items()):
            source = sources[min(index, 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(msgstr)):
                problems.append((e["msgid"], msgstr))
            if source.endswith("\n") != msgstr.endswith("\n") or source.startswith("\n") != msgstr.startswith("\n"):
                problems.append((e["msgid"], msgstr))
    assert not problems


def test_python_strings_translate_to_english():
    from django.utils.translation import gettext_lazy as _

    with translation.override("en"):
        assert str(_("工会新闻")) == "Union News"
        assert str(_("十件实事")) == "Ten Practical Things"
        assert str(_("严重滞后")) == "Seriously behind"
    with translation.override("zh-hans"):
        assert str(_("工会新闻")) == "工会新闻"


def _site_nav(html):
    match = re.search(r'<nav id="site-nav".*?</nav>', html, re.S)
    assert match, "the header navigation is missing"
    return match.group(0)


def _visible_text(fragment):
    return re.sub(r"<[^>]+>", " ", fragment)


def test_home_page_in_english_via_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    nav = _visible_text(_site_nav(html))
    for label in ("Home", "Union News", "Ten Practical Things", "Worker Stations"):
        assert label in nav
    assert not CJK.search(nav), f"untranslated Chinese in the header nav: {nav.split()}"
    assert "Log in" in html and "Sign up" in html
    assert "When workers call, the union answers" in html


def test_set_language_switches_the_whole_header_to_english(client, django_user_model):
    user = django_user_model.objects.create_user(username="reader", password="x-Secret-123")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    nav = _visible_text(_site_nav(html))
    assert "Union News" in nav and "My account" in nav
    assert not CJK.search(nav), f"untranslated Chinese in the header nav: {nav.split()}"
    assert 'aria-label="My notifications"' in html


def test_chinese_stays_the_default(client):
    html = client.get("/").content.decode()
    nav = _visible_text(_site_nav(html))
    assert "工会新闻" in nav and "Union News" not in nav
