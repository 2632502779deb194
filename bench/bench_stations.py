"""Latency of the stations map and "nearest" with 2,000 stations: python bench/bench_stations.py

Builds its own database (SQLite file under /tmp, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_stations), fills it with 2,000 stations around
Xinghua, starts gunicorn on a loopback port with the production settings, fires a bounded
number of requests per URL, prints requests/s and p95, and stops the server.
Env: BENCH_STATIONS (2000), BENCH_REQUESTS (200 per URL), BENCH_PORT (8765), BENCH_WORKERS (2),
BENCH_PAGE_CACHE (0: the anonymous page cache is off, so every request renders the page).
"""

import os
import random
import sys
from decimal import Decimal

from harness import bench_env, gunicorn, manage, measure, reset_database, setup_django, wait_up

N_STATIONS = int(os.environ.get("BENCH_STATIONS", "2000"))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
TARGET_P95_MS = 50
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_stations.sqlite3")
ENV = bench_env("stations", DB_URL)
# The pages' own cost is what is measured here: the anonymous page cache would answer them all.
ENV["PAGE_CACHE_ENABLED"] = "true" if os.environ.get("BENCH_PAGE_CACHE") == "1" else "false"


def seed():
    """2,000 stations spread over ~60 x 60 km around Xinghua, with amenities and hours."""
    setup_django(ENV)
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
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    print(
        f"data: {Station.objects.count()} stations ({Station.objects.public().count()} public), "
        f"{through.objects.count()} amenity links, {OpeningHours.objects.count()} opening-hours rows, "
        f"{len(towns)} towns; page cache {'on' if ENV['PAGE_CACHE_ENABLED'] == 'true' else 'off'}"
    )
    return stations[0].pk


def main():
    print(f"stations bench: {N_STATIONS} stations, {N_REQUESTS} requests per URL, db {DB_URL.split(':')[0]}")
    reset_database(DB_URL)
    manage(ENV, "migrate", "--noinput")
    manage(ENV, "collectstatic", "--noinput")
    first = seed()
    near = "lat=32.9306&lng=119.8406"
    urls = {
        "nearest list": f"/stations/?{near}",
        "nearest map.json": f"/stations/map.json?{near}",
        "nearest filtered list": f"/stations/?amenity=hot-meal&kind=outdoor_24h&open_now=on&{near}",
        "nearest list, far away": "/stations/?lat=39.9042&lng=116.4074",
        "nearest list (page 3)": f"/stations/?{near}&page=3",
        "map.json (all)": "/stations/map.json",
        "list (page 1)": "/stations/",
        "detail": f"/stations/{first}/",
    }
    failed = False
    with gunicorn(ENV, PORT, WORKERS) as base:
        wait_up(base + "/stations/")
        print(f"{'url':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}   ({N_STATIONS} stations)")
        for label, path in urls.items():
            rps, p95, p50 = measure(base + path, N_REQUESTS)
            flag = ""
            if label.startswith("nearest"):
                ok = p95 < TARGET_P95_MS
                failed |= not ok
                flag = f"  ok (< {TARGET_P95_MS} ms)" if ok else "  OVER TARGET"
            print(f"{label:<24}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}{flag}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
