"""Every translatable string in the code is in the English catalogue, translated.

makemessages runs on a scratch copy of the sources so the tracked .po is never rewritten by a
test run; the copy's catalogue then has to be complete.
"""

import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from apps.core.catalogues import parse_po

SOURCES = ["apps", "templates", "union_portal", "locale", "manage.py"]


@pytest.mark.slow
def test_no_ui_string_is_missing_from_the_english_catalogue(tmp_path):
    root = settings.BASE_DIR
    for name in SOURCES:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
        else:
            shutil.copy2(src, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "union_portal.settings.test",
            "PYTHONPATH": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    # The project catalogue, and each app's own catalogue where an app keeps one (apps/<app>/locale).
    catalogues = sorted(tmp_path.glob("**/locale/en/LC_MESSAGES/django.po"))
    assert tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po" in catalogues
    entries = [e for po in catalogues for e in parse_po(po) if e["msgid"]]
    missing = [
        e["msgid"] for e in entries if not e["obsolete"] and ("fuzzy" in e["flags"] or not all(e["msgstr"].values()))
    ]
    assert not missing, f"translate these (make messages, then edit locale/en/…/django.po): {missing}"
