"""Latency of the stations map and "nearest" with 2,000 stations: python bench/bench_stations.py

Builds its own database (SQLite file under /tmp, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_stations), fills it with 2,000 stations around
Xinghua, starts gunicorn on a loopback port with the production settings, fires a bounded
number of requests per URL, prints requests/s and p95, and stops the server.
Env: BENCH_STATIONS (2000), BENCH_REQUESTS (200 per URL), BENCH_PORT (8765), BENCH_WORKERS (2).
"""

import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N_STATIONS = int(os.environ.get("BENCH_STATIONS", "2000"))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
TARGET_P95_MS = 100
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_stations.sqlite3")

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
    "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-not-for-real-use",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": DB_URL,
    "STATIC_ROOT": "/tmp/bench_stations_static",
    "MEDIA_ROOT": "/tmp/bench_stations_media",
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
    """2,000 stations spread over ~60 x 60 km around Xinghua, with amenities and hours."""
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from apps.core.models import Town
    from apps.stations.models import Amenity, OpeningHours, Station

    rng = random.Random(7)
    towns = [Town.objects.get_or_create(name=f"测试镇{i}")[0] for i in range(20)]
    amenities = [
        Amenity.objects.get_or_create(code=code, defaults={"name": name, "sort_order": i})[0]
        for i, (code, name) in enumerate(
            [("hot-meal", "热饭"), ("water", "饮水"), ("rest", "休息"), ("charging", "充电"), ("wifi", "WiFi")]
        )
    ]
    stations = Station.objects.bulk_create(
        [
            Station(
                code=f"BENCH-{i:05d}",
                name=f"压测驿站{i}",
                kind=rng.choice(Station.Kind.values),
                town=rng.choice(towns),
                address=f"测试路{i}号",
                latitude=Decimal(f"{32.93 + rng.uniform(-0.3, 0.3):.6f}"),
                longitude=Decimal(f"{119.84 + rng.uniform(-0.35, 0.35):.6f}"),
                is_24h=rng.random() < 0.6,
                status=Station.Status.OPEN,
                opened_on=datetime.date(2024, 1, 1),
            )
            for i in range(N_STATIONS)
        ],
        batch_size=500,
    )
    through = Station.amenities.through
    through.objects.bulk_create(
        [through(station=s, amenity=a) for s in stations for a in amenities if rng.random() < 0.6], batch_size=2000
    )
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(station=s, weekday=d, opens=datetime.time(8), closes=datetime.time(20))
            for s in stations
            if not s.is_24h
            for d in range(7)
        ],
        batch_size=2000,
    )
    return stations[0].pk


def wait_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not start at {url}")


def measure(url):
    for _ in range(5):  # warm up
        urllib.request.urlopen(url, timeout=10).read()
    timings = []
    started = time.perf_counter()
    for _ in range(N_REQUESTS):
        t0 = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            assert response.status == 200, response.status
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    p95 = statistics.quantiles(timings, n=20)[-1]
    return N_REQUESTS / elapsed, p95, statistics.median(timings)


def main():
    print(f"stations bench: {N_STATIONS} stations, {N_REQUESTS} requests per URL, db {DB_URL.split(':')[0]}")
    reset_database()
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    first = seed()
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
    near = "lat=32.9306&lng=119.8406"
    urls = {
        "nearest list": f"/stations/?{near}",
        "nearest map.json": f"/stations/map.json?{near}",
        "nearest filtered list": f"/stations/?amenity=hot-meal&kind=outdoor_24h&open_now=on&{near}",
        "map.json (all)": "/stations/map.json",
        "list (page 1)": "/stations/",
        "detail": f"/stations/{first}/",
    }
    failed = False
    try:
        wait_up(base + "/stations/")
        print(f"{'url':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
        for label, path in urls.items():
            rps, p95, p50 = measure(base + path)
            flag = ""
            if label.startswith("nearest"):
                ok = p95 < TARGET_P95_MS
                failed |= not ok
                flag = "  ok (< 100 ms)" if ok else "  OVER TARGET"
            print(f"{label:<24}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}{flag}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
