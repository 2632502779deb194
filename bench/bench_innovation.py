"""Latency of /innovation/ and the officer's ranking: python bench/bench_innovation.py

Builds its own database (SQLite file under /tmp, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_innovation), fills it with 10 campaigns × 500 projects
× 5 submitted reviews each (awarded projects and awards for the showcase), computes the
rankings, starts gunicorn on a loopback port with the production settings, fires a bounded
number of requests per URL (the ranking as a signed-in innovation officer), prints requests/s
and p95, and stops the server.
Env: BENCH_CAMPAIGNS (10), BENCH_PROJECTS (500), BENCH_REQUESTS (100 per URL), BENCH_PORT (8767),
BENCH_WORKERS (2).
"""

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N_CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", "10"))
N_PROJECTS = int(os.environ.get("BENCH_PROJECTS", "500"))
N_REVIEWS = 5
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
PORT = int(os.environ.get("BENCH_PORT", "8767"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
TARGET_P95_MS = 300
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_innovation.sqlite3")

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
    "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-not-for-real-use",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": DB_URL,
    "STATIC_ROOT": "/tmp/bench_innovation_static",
    "MEDIA_ROOT": "/tmp/bench_innovation_media",
    "LOG_LEVEL": "WARNING",
    "CONN_MAX_AGE": "60",
}


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def reset_database():
    if DB_URL.startswith("sqlite:///"):
        Path(DB_URL.removeprefix("sqlite:///")).unlink(missing_ok=True)
    elif DB_URL.startswith("postgres"):
        name = DB_URL.rsplit("/", 1)[1]
        server = DB_URL.rsplit("/", 1)[0] + "/postgres"
        import psycopg2

        conn = psycopg2.connect(server)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()


def seed():
    """Campaigns of past years with projects, five submitted reviews each, rankings and awards."""
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from apps.accounts.services import role_permissions_sync, user_role_add
    from apps.core.models import Organization
    from apps.innovation import services
    from apps.innovation.models import (
        Award,
        AwardLevel,
        Category,
        Phase,
        Project,
        Review,
        ReviewAssignment,
        ReviewerProfile,
        TeamMember,
    )

    role_permissions_sync()
    User = get_user_model()
    officer = User.objects.create_user("bench_officer", password="bench-pass-1234")
    user_role_add(user=officer, role="innovation_officer")
    employers = [Organization.objects.create(name=f"压测企业{i}") for i in range(20)]
    categories = [Category.objects.create(code=f"bench-{i}", name=f"类别{i}", sort_order=i) for i in range(8)]
    reviewers = []
    for i in range(N_REVIEWS * 4):
        user = User.objects.create_user(f"bench_reviewer{i}", password="bench-pass-1234")
        ReviewerProfile.objects.create(user=user, employer=employers[i % len(employers)], max_load=10_000)
        reviewers.append(user)
    last = None
    for c in range(N_CAMPAIGNS):
        year = 2014 + c
        campaign = services.campaign_create(
            year=year,
            name=f"{year}年压测活动",
            entry_opens=datetime.date(year, 3, 1),
            entry_closes=datetime.date(year, 6, 30),
            categories=categories,
        )
        projects = Project.objects.bulk_create(
            [
                Project(
                    campaign=campaign,
                    category=categories[i % len(categories)],
                    title=f"{year}压测项目{i}",
                    employer=employers[i % len(employers)],
                    money_saved=Decimal(i % 50),
                    status=Project.Status.UNDER_REVIEW,
                    is_confidential=i % 17 == 0,
                )
                for i in range(N_PROJECTS)
            ],
            batch_size=500,
        )
        TeamMember.objects.bulk_create(
            [TeamMember(project=p, name=f"完成人{p.pk}", share=100, role="first") for p in projects], batch_size=1000
        )
        assignments, reviews = [], []
        for i, project in enumerate(projects):
            chosen = [r for r in reviewers if r.reviewer_profile.employer_id != project.employer_id][:N_REVIEWS]
            for k, reviewer in enumerate(chosen):
                assignments.append(ReviewAssignment(project=project, reviewer=reviewer, phase=Phase.EXPERT_REVIEW))
                reviews.append(
                    Review(
                        project=project,
                        reviewer=reviewer,
                        phase=Phase.EXPERT_REVIEW,
                        status=Review.Status.SUBMITTED,
                        weighted_total=Decimal(f"{5 + (i * 7 + k * 3) % 50 / 10:.2f}"),
                        locked=True,
                    )
                )
        ReviewAssignment.objects.bulk_create(assignments, batch_size=2000)
        Review.objects.bulk_create(reviews, batch_size=2000)
        services.ranking_compute(campaign=campaign)
        winners = projects[:40]
        Project.objects.filter(pk__in=[p.pk for p in winners]).update(status=Project.Status.AWARDED)
        Award.objects.bulk_create(
            [Award(kind=Award.Kind.CITY, level=AwardLevel.THIRD, year=year, project=p) for p in winners]
        )
        last = campaign
    session = SessionStore()
    session["_auth_user_id"] = str(officer.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = officer.get_session_auth_hash()
    session.create()
    return last.pk, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def wait_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not start at {url}")


def measure(url, cookie=""):
    for _ in range(5):  # warm up
        urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=30).read()
    timings = []
    started = time.perf_counter()
    for _ in range(N_REQUESTS):
        t0 = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=30) as response:
            response.read()
            assert response.status == 200, response.status
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    p95 = statistics.quantiles(timings, n=20)[-1]
    return N_REQUESTS / elapsed, p95, statistics.median(timings)


def main():
    print(
        f"innovation bench: {N_CAMPAIGNS} campaigns × {N_PROJECTS} projects × {N_REVIEWS} reviews, "
        f"{N_REQUESTS} requests per URL, db {DB_URL.split(':')[0]}"
    )
    reset_database()
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    campaign_id, cookie = seed()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "union_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    base = f"http://127.0.0.1:{PORT}"
    urls = {
        "/innovation/": ("/innovation/", ""),
        f"ranking ({N_PROJECTS} projects)": (f"/innovation/manage/{campaign_id}/ranking/", cookie),
    }
    failed = False
    try:
        wait_up(base + "/innovation/")
        print(f"{'url':<26}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
        for label, (path, cookie_header) in urls.items():
            rps, p95, p50 = measure(base + path, cookie_header)
            ok = p95 < TARGET_P95_MS
            failed |= not ok
            flag = f"  ok (< {TARGET_P95_MS} ms)" if ok else "  OVER TARGET"
            print(f"{label:<26}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}{flag}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
