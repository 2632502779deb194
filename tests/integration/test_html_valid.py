"""The Nu Html Checker (vnu.jar, from the npm package ``vnu-jar`` that ``make test`` installs)
finds no error on the demo site's pages: two pages of every sitemap section, the public pages
outside the sitemap, and each role's landing page and ``/me/`` signed in as that role's demo
person."""

import io
import json
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.core import registry

JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PUBLIC = ["/stations/", "/legal/events/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
WORKER = [
    "/me/",
    "/me/notifications/",
    "/me/profile/",
    "/me/data/",
    "/legal/consultations/new/",
    "/innovation/submit/",
    "/membership/join/",
]
PER_SECTION = 2


def _paths_of(xml: str) -> list[str]:
    return [
        urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else "")
        for loc in re.findall(r"<loc>([^<]+)</loc>", xml)
    ]


def _sitemap_pages(client) -> list[str]:
    pages = []
    for section in _paths_of(client.get("/sitemap.xml").content.decode()):
        pages += _paths_of(client.get(section).content.decode())[:PER_SECTION]
    return pages


def _role_pages() -> list[tuple[str, str]]:
    """(username, path): each role's landing page and /me/, as one demo person holding the role."""
    from apps.accounts.roles import users_holding

    found = []
    for name, role in registry.roles().items():
        holder = users_holding(name, include_superusers=False).order_by("pk").first()
        if holder is None:
            continue
        found.append((holder.username, "/me/"))
        if role.landing:
            from django.urls import reverse

            found.append((holder.username, reverse(role.landing)))
    return found


@pytest.mark.slow  # loads the demo data and starts a JVM: about a minute
@pytest.mark.django_db
def test_the_nu_checker_finds_no_error_on_public_and_signed_in_pages(client, tmp_path):
    assert JAR.exists(), "the Nu checker is missing: run `make test` (it runs npm install) or `npm install`"
    java = shutil.which("java")
    assert java, "Java is needed for the Nu checker (Debian: default-jre-headless)"
    call_command("load_demo", stdout=io.StringIO())
    pages = [("", path) for path in [*_sitemap_pages(client), *PUBLIC]]
    pages += [("worker", path) for path in WORKER]
    pages += _role_pages()
    users = get_user_model().objects
    files = {}
    for username, path in dict.fromkeys(pages):
        client.logout()
        if username:
            client.force_login(users.get(username=username))
        response = client.get(path)
        assert response.status_code == 200, (username, path, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        target = tmp_path / f"page{len(files)}.html"
        target.write_bytes(response.content)
        files[target.name] = f"{username or 'anonymous'} {path}"
    assert len(files) > 30, files
    result = subprocess.run(
        [java, "-jar", str(JAR), "--errors-only", "--format", "json", *(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{files[m['url'].rsplit('/', 1)[-1]]}:{m.get('lastLine', '?')}: {m['message']} {m.get('extract', '')!r}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
