"""Bench the ten-things pages and the leaders' dashboard under gunicorn: python bench/bench_tenthings.py

Builds its own database (SQLite file under /tmp, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_tenthings; dropped and created afresh) with BENCH_YEARS
published plans × 10 items × 5 indicators × BENCH_REPORTS verified reports per indicator, starts
gunicorn with the production settings on a loopback port, fires BENCH_REQUESTS requests per URL as
a signed-in leader (the uncached path: the anonymous page cache is switched off as well), prints
the data sizes, requests/s, p50 and p95 per URL, and stops the server.

Env: BENCH_YEARS (10), BENCH_REPORTS (50 per indicator), BENCH_REQUESTS (60 per URL),
BENCH_PORT (8791), BENCH_WORKERS (2). A larger run: BENCH_YEARS=20 BENCH_REPORTS=100.
"""

import datetime
import os
import sys

from harness import bench_env, gunicorn, manage, measure, reset_database, setup_django, wait_up

DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_tenthings.sqlite3")
PORT = int(os.environ.get("BENCH_PORT", "8791"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
N_YEARS = int(os.environ.get("BENCH_YEARS", "10"))
REPORTS_PER_INDICATOR = int(os.environ.get("BENCH_REPORTS", "50"))
LAST_YEAR = 2024
YEARS = range(LAST_YEAR - N_YEARS + 1, LAST_YEAR + 1)
ITEMS, INDICATORS = 10, 5
ENV = {**bench_env("tenthings", DB_URL), "PAGE_CACHE_ENABLED": "false"}


def seed() -> tuple[str, dict]:
    """Fill the database; returns the leader's session cookie and the sizes built."""
    reset_database(DB_URL)
    manage(ENV, "migrate", "--noinput")
    manage(ENV, "collectstatic", "--noinput")  # the manifest storage needs it
    setup_django(ENV)
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from apps.accounts.models import User
    from apps.accounts.services import role_permissions_sync, user_role_add
    from apps.tenthings.models import Indicator, Item, Plan, ProgressReport

    role_permissions_sync()
    leader = User.objects.create_user(username="bench-leader", password="bench-pass-1234")
    user_role_add(user=leader, role="leader")
    for year in YEARS:
        plan = Plan.objects.create(year=year, title=f"{year}年十件实事", published=True)
        items = Item.objects.bulk_create(
            Item(plan=plan, number=n, title=f"实事{n}", responsible=leader) for n in range(1, ITEMS + 1)
        )
        inds = Indicator.objects.bulk_create(
            Indicator(item=item, name=f"指标{i}", kind="quantity", unit="名", target=1000)
            for item in items
            for i in range(INDICATORS)
        )
        ProgressReport.objects.bulk_create(
            (
                ProgressReport(
                    indicator=ind,
                    reported_on=datetime.date(year, r % 12 + 1, r % 28 + 1),
                    amount=r % 7 + 1,
                    narrative="bench",
                    reporter=leader,
                    status="verified",
                )
                for ind in inds
                for r in range(REPORTS_PER_INDICATOR)
            ),
            batch_size=5000,
        )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(leader.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = leader.get_session_auth_hash()
    store.save()
    sizes = {
        "plans": Plan.objects.count(),
        "items": Item.objects.count(),
        "indicators": Indicator.objects.count(),
        "reports": ProgressReport.objects.count(),
        "reports_per_item": INDICATORS * REPORTS_PER_INDICATOR,
    }
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}", sizes


def main():
    cookie, sizes = seed()
    print(
        "data: {plans} plan-years, {items} items, {indicators} indicators, {reports} verified reports "
        "({reports_per_item} per item)".format(**sizes)
    )
    last_page = -(-sizes["reports_per_item"] // 20)  # the oldest page of the item's timeline
    paths = [
        f"/ten-things/{LAST_YEAR}/",
        f"/ten-things/{LAST_YEAR}/5/",
        f"/ten-things/{LAST_YEAR}/5/?page={last_page}",
        f"/dashboard/?year={LAST_YEAR}",
    ]
    with gunicorn(ENV, PORT, WORKERS) as base:
        wait_up(base + "/healthz")
        print(f"gunicorn: {WORKERS} workers, {REQUESTS} sequential requests per URL as a signed-in leader")
        for path in paths:
            rps, p95, p50 = measure(base + path, REQUESTS, cookie)
            print(f"{path:32} {rps:7.1f} req/s   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
