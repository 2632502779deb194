import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from conftest import require_service, test_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the deployment checks run on PostgreSQL")
    return test_database_url()


def production_env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "REDIS_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
            "SECRET_KEY": "k3y-" + "x9Fq2LmZ7pRt" * 5,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


def run(args, env, timeout=300):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def manage(*args, env):
    return run([sys.executable, "manage.py", *args], env)


def need(binary: str, package: str) -> str:
    path = shutil.which(binary) or (f"/usr/sbin/{binary}" if Path(f"/usr/sbin/{binary}").exists() else None)
    require_service(binary, path is not None, f"apt-get install {package}")
    return path
