"""500 sign-ups for 100 places from 50 client threads through gunicorn (production settings,
PostgreSQL): exactly 100 confirmed, 400 waiting, no error. Required in CI."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from apps.enrolment.models import Enrolment
from conftest import require_service, test_database_url

from .factories import make_activity

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
CSRF = "c" * 32


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions(n):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from apps.accounts.models import User

    User.objects.bulk_create([User(username=f"rush{i}", password="!") for i in range(n)])
    cookies = []
    for user in User.objects.filter(username__startswith="rush"):
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}")
    return cookies


def test_500_sign_ups_for_100_places_over_http_end_100_confirmed_400_waiting(tmp_path):
    require_service("PostgreSQL", connection.vendor == "postgresql", "the rush needs real concurrency")
    activity = make_activity(places=100, roster_fields={"waiting_list": True})
    cookies = _sessions(500)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="union_portal.settings.production",
        SECRET_KEY=settings.SECRET_KEY if len(settings.SECRET_KEY) > 50 else "k3y-" + "x9Fq2LmZ7pRt" * 5,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=test_database_url(),
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_LEVEL="WARNING",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "union_portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/activities/{activity.pk}/signup/"
        statuses, lock, queue = [], threading.Lock(), list(cookies)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)

        def client():
            while True:
                with lock:
                    if not queue:
                        return
                    cookie = queue.pop()
                request = urllib.request.Request(
                    url, data=b"", method="POST", headers={"Cookie": cookie, "X-CSRFToken": CSRF}
                )
                try:
                    status = opener.open(request, timeout=120).status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                with lock:
                    statuses.append(status)

        threads = [threading.Thread(target=client) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = (tmp_path / "gunicorn.log").read_text()
    assert statuses.count(302) == 500, (sorted(set(statuses)), log[-2000:])
    counts = dict(Enrolment.objects.filter(roster=activity.roster).values_list("state").annotate(n=Count("pk")))
    assert counts == {Enrolment.State.CONFIRMED: 100, Enrolment.State.WAITING: 400}
