import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


pytestmark = pytest.mark.slow  # each test starts a subprocess


@pytest.mark.django_db
def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG")},
        "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
        "SECRET_KEY": "k3y-" + "x9Fq2LmZ7pRt" * 5,
        "ALLOWED_HOSTS": "portal.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_SETTINGS_MODULE="union_portal.settings.production", ALLOWED_HOSTS="x.cn")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_static_files_build_with_hashed_names(tmp_path):
    """WhiteNoise's manifest storage fails on a vendored file that points at a missing one."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="union_portal.settings.production",
        SECRET_KEY="k3y-" + "x9Fq2LmZ7pRt" * 5,
        ALLOWED_HOSTS="portal.example.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'static.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "css/site.css" in manifest and "vendor/leaflet/leaflet.js" in manifest


def test_every_entry_point_defaults_to_the_production_settings():
    """A worker, beat or web process started without DJANGO_SETTINGS_MODULE never runs with DEBUG on."""
    from django.conf import settings

    for name in ("wsgi.py", "asgi.py", "celery_app.py"):
        text = (settings.BASE_DIR / "union_portal" / name).read_text(encoding="utf-8")
        assert 'setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings.production")' in text, name
