"""Bench the ten-things year page and the leaders' dashboard under gunicorn.

python bench/bench_tenthings.py  — builds 10 years × 10 items × 5 indicators × 50 reports in a
SQLite file under /tmp (or BENCH_DATABASE_URL), starts gunicorn with production settings on a
loopback port, fires a bounded number of requests and prints requests/s and p95 per URL.
"""

import datetime
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_tenthings.sqlite3")
PORT = int(os.environ.get("BENCH_PORT", "8791"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
YEARS = range(2015, 2025)
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
    "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-bench",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "DEBUG": "false",
    "STATIC_ROOT": "/tmp/bench_tenthings_static",
}


def build_data():
    os.environ.update(ENV)
    import django

    django.setup()
    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.accounts.services import user_role_add
    from apps.tenthings.models import Indicator, Item, Plan, ProgressReport

    if DB_URL.startswith("sqlite:///"):
        Path(DB_URL.removeprefix("sqlite:///")).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # manifest storage needs it
    leader = User.objects.create_user(username="bench-leader", password="bench-pass-1234")
    user_role_add(user=leader, role="leader")
    for year in YEARS:
        plan = Plan.objects.create(year=year, title=f"{year}年十件实事", published=True)
        for n in range(1, 11):
            item = Item.objects.create(plan=plan, number=n, title=f"实事{n}", responsible=leader)
            inds = Indicator.objects.bulk_create(
                Indicator(item=item, name=f"指标{i}", kind="quantity", unit="名", target=1000) for i in range(5)
            )
            ProgressReport.objects.bulk_create(
                ProgressReport(
                    indicator=ind,
                    reported_on=datetime.date(year, r % 12 + 1, r % 28 + 1),
                    amount=r % 7 + 1,
                    narrative="bench",
                    reporter=leader,
                    status="verified",
                )
                for ind in inds
                for r in range(50)
            )
    print(f"data: {len(YEARS)} years, {ProgressReport.objects.count()} reports")


def fetch(opener, url):
    start = time.perf_counter()
    with opener.open(url) as resp:
        resp.read()
        assert resp.status == 200, resp.status
    return time.perf_counter() - start


def main():
    build_data()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "union_portal.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/healthz")
                break
            except Exception:
                time.sleep(0.2)
        from django.test import Client

        client = Client()
        client.login(username="bench-leader", password="bench-pass-1234")
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        session = client.cookies["sessionid"].value
        opener.addheaders = [("Cookie", f"sessionid={session}")]
        for path in [
            "/ten-things/2024/",
            "/ten-things/2024/5/",
            "/ten-things/2024/5/?page=13",  # the oldest page of its 250 reports
            "/dashboard/?year=2024",
        ]:
            fetch(opener, base + path)  # warm up
            started = time.perf_counter()
            times = [fetch(opener, base + path) for _ in range(REQUESTS)]
            wall = time.perf_counter() - started
            p95 = statistics.quantiles(times, n=20)[18] * 1000
            print(f"{path:28} {REQUESTS / wall:7.1f} req/s   p95 {p95:7.1f} ms   (n={REQUESTS})")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
