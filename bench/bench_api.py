"""/api/v1/ next to a bare-Django ceiling, in one run: python bench/bench_api.py

What it does (as bench_pages.py, whose servers, wrk settings and report it shares)
  * Resets a PostgreSQL database of its own (BENCH_DATABASE_URL, default
    postgres://postgres@127.0.0.1:5432/bench_api), starts a private Redis, migrates and loads
    the demo data with the production settings (load_demo with the local ones).
  * Signs a plain worker in through allauth headless (``/_allauth/app/v1/auth/login``, in
    process) and keeps the session token, and gives them 200 notifications and a consultation.
  * Starts gunicorn for the ceiling (bench/ceiling.py) and the portal (page cache on), and for
    every operation loads, one after another:
      ceiling      the same path on the ceiling server
      anonymous    the portal, no credentials (public reads: served by the page cache)
      signed-in    the portal with ``X-Session-Token`` (never cached; every request hits the
                   token lookup, the selector and the database)
    each with ``wrk -t2 -c8 -d{BENCH_SECONDS}s`` after a 2 s warm-up, Accept-Encoding as browsers.
    The ceiling is re-measured before every operation and each row's "% of ceiling" divides by it.
  * Targets (from the issue): anonymous public reads at >= 50 % of the ceiling, signed-in reads
    (notifications, my records) at >= 10 %. The table says which rows meet theirs.

Env: BENCH_DATABASE_URL, BENCH_SECONDS (10), BENCH_ACCEPT_ENCODING, BENCH_GUNICORN, BENCH_PATHS
(only operations whose path starts with one of these, comma-separated).
Needs redis-server, wrk and PostgreSQL on 127.0.0.1; only loopback addresses are used.
Exits 1 when any request failed or an operation did not answer 200 first.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench_pages import LUA, WARMUP_SECONDS, gunicorn_server, machine, manage
from harness import bench_env, free_port, redis_server, reset_database, setup_django

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_api")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate, br")
THREADS, CONNECTIONS = 2, 8
ONLY = [p for p in os.environ.get("BENCH_PATHS", "").split(",") if p]
TARGETS = {"anonymous": 50.0, "signed-in": 10.0}


def prepare(env: dict) -> tuple[list[tuple[str, str]], str]:
    """Data and a session token; returns (path, mode) pairs to load and the token."""
    setup_django(env)
    from django.db import connection
    from django.test import Client

    from apps.accounts.models import User
    from apps.legal_aid.models import LegalStation
    from apps.legal_aid.services import consultation_submit
    from apps.news.models import Article
    from apps.reminders.services import notify_all
    from apps.stations.models import Station

    worker = User.objects.create_user(username="bench-api-worker", password="bench-api-pass-1234", real_name="压测职工")
    for i in range(200):
        notify_all([worker], kind="general", key=f"bench-{i}", title=f"压测通知{i}", body="压测")
    legal = LegalStation.objects.filter(status=LegalStation.Status.OPEN).first()
    if legal is not None:
        consultation_submit(
            worker=worker,
            station=legal,
            topic="wages",
            question="压测咨询",
            channel="written",
            consent=True,
            contact_name="压测职工",
            contact_phone="13800000000",
        )
    # Behind nginx the client address comes in X-Real-IP (ALLAUTH_TRUSTED_CLIENT_IP_HEADER).
    response = Client(HTTP_HOST="127.0.0.1", HTTP_X_REAL_IP="127.0.0.1").post(
        "/_allauth/app/v1/auth/login",
        {"username": worker.username, "password": "bench-api-pass-1234"},
        content_type="application/json",
    )
    if response.status_code != 200:
        raise SystemExit(f"headless sign-in failed: {response.status_code} {response.content[:300]!r}")
    token = response.json()["meta"]["session_token"]

    article = Article.objects.published().order_by("-published_at", "-id").first()
    station = Station.objects.public().order_by("pk").first()
    public = [
        "/api/v1/news/articles",
        f"/api/v1/news/articles/{article.pk}",
        "/api/v1/news/columns",
        "/api/v1/tenthings/years",
        "/api/v1/tenthings/years/2024",
        "/api/v1/tenthings/years/2024/items/1",
        "/api/v1/stations/",
        f"/api/v1/stations/{station.pk}",
        "/api/v1/stations/markers",
        "/api/v1/legal_aid/stations",
        "/api/v1/legal_aid/duty/today",
        "/api/v1/legal_aid/events",
        "/api/v1/innovation/figures",
    ]
    private = [
        "/api/v1/accounts/me",
        "/api/v1/reminders/notifications",
        "/api/v1/legal_aid/consultations",
        "/api/v1/news/articles",  # a public read with a token: never cached
    ]
    runs = [(path, "anonymous") for path in public] + [(path, "signed-in") for path in private]
    if ONLY:
        runs = [(path, mode) for path, mode in runs if any(path.startswith(only) for only in ONLY)]
    connection.close()
    return runs, token


def get(port: int, path: str, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wrk(port: int, path: str, seconds: int, script: Path, headers: dict) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if ACCEPT_ENCODING:
        command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    result = re.search(r"BENCH_RESULT (.*)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not result or not rps:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    fields = {k: int(v) for k, v in (pair.split("=") for pair in result.group(1).split())}
    fields["rps"] = float(rps.group(1))
    fields["failed"] = sum(fields[k] for k in ("status", "connect", "read", "write", "timeout"))
    return fields


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    clean = {k: v for k, v in os.environ.items() if k not in ("GUNICORN_CMD_ARGS", "DJANGO_SETTINGS_MODULE")}
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(free_port()))
        env = {**bench_env("api", DB_URL), "REDIS_URL": redis_url, "PAGE_CACHE_ENABLED": "true"}
        env.pop("GUNICORN_CMD_ARGS", None)
        print(f"Preparing {DB_URL}: migrate, static files, demo data …", flush=True)
        reset_database(DB_URL)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")  # the production settings' manifest (e-mails link the logo)
        manage({**env, "DJANGO_SETTINGS_MODULE": "union_portal.settings.local"}, "load_demo")
        runs, token = prepare(env)
        print(f"setup took {time.monotonic() - began:.0f} s", flush=True)

        ceiling = stack.enter_context(
            gunicorn_server("api-ceiling", clean, free_port(), ["--chdir", "bench", "ceiling:application"])
        )
        portal = stack.enter_context(gunicorn_server("api-portal", env, free_port(), ["union_portal.wsgi:application"]))
        headers = {"anonymous": {}, "signed-in": {"X-Session-Token": token}}

        broken = [
            f"{path} ({mode}: {status})" for path, mode in runs if (status := get(portal, path, headers[mode])) != 200
        ]
        if get(portal, "/api/v1/accounts/me", {}) != 401:
            broken.append("/api/v1/accounts/me answers anonymous clients")
        if broken:
            print("Operations that do not answer as they should:\n  " + "\n  ".join(broken), file=sys.stderr)
            return 1

        script = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_api_"))) / "report.lua"
        script.write_text(LUA)
        rows, failures = [], []
        for path, mode in runs:
            wrk(ceiling, path, WARMUP_SECONDS, script, {})
            top = wrk(ceiling, path, SECONDS, script, {})
            wrk(portal, path, WARMUP_SECONDS, script, headers[mode])
            result = wrk(portal, path, SECONDS, script, headers[mode])
            share = 100 * result["rps"] / top["rps"] if top["rps"] else 0
            label = mode
            if result["failed"]:
                failures.append(f"{path} {mode}: {result}")
                label += f" (**{result['failed']} of {result['requests']} failed**)"
            meets = "yes" if share >= TARGETS[mode] else "**no**"
            rows.append(
                (path, label, top["rps"], result["rps"], result["p50"] / 1000, result["p95"] / 1000, share, meets)
            )
            print(f"  {path:<44} {mode:<10} {result['rps']:9.1f} req/s ({share:.0f} %)", file=sys.stderr, flush=True)

    print()
    print(f"Machine: {machine()}")
    print(
        f"Load: wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s after a {WARMUP_SECONDS} s warm-up per target, "
        f"Accept-Encoding: {ACCEPT_ENCODING or '(none)'}; PostgreSQL + private Redis; page cache on; "
        "ceiling re-measured before each operation"
    )
    print()
    print("| operation | mode | ceiling req/s | req/s | p50 ms | p95 ms | % of ceiling | meets target |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for path, mode, top, rps, p50, p95, share, meets in rows:
        print(f"| `{path}` | {mode} | {top:.1f} | {rps:.1f} | {p50:.1f} | {p95:.1f} | {share:.1f}% | {meets} |")
    print()
    print(
        f"Targets: anonymous >= {TARGETS['anonymous']:.0f} %, signed-in >= {TARGETS['signed-in']:.0f} % of the ceiling."
    )
    print(f"Total run time {time.monotonic() - began:.0f} s.")
    if failures:
        print("FAILED requests:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
