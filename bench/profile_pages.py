"""Where a signed-in page spends its time, in-process: python bench/profile_pages.py [PATH ...]

For each page (default: the first-tier personal pages and every role's queue) it signs in the
demo person who would open it, renders it a few times to warm up, then reports the mean time,
the number of SQL queries and of cache calls per request; with PROFILE=1 it also prints a
pyinstrument profile of PROFILE_RUNS requests of each page (``pip install pyinstrument``).

Runs against an existing database with the demo data (``load_demo``): DATABASE_URL and, for
the production cache, REDIS_URL from the environment (your own database and Redis db on a
shared machine). Production settings, like bench/bench_pages.py; nothing is written besides
the sessions of the people it signs in.

Env: PROFILE (0|1), PROFILE_RUNS (50), RUNS (30 timed requests per page), PROFILE_SQL (1: print
the SQL of one request of each page).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-not-for-real-use")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("CONN_MAX_AGE", "60")

RUNS = int(os.environ.get("RUNS", "30"))
PROFILE = os.environ.get("PROFILE", "0") == "1"
PROFILE_RUNS = int(os.environ.get("PROFILE_RUNS", "50"))
SHOW_SQL = os.environ.get("PROFILE_SQL", "0") == "1"


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    sys.path.insert(0, str(ROOT / "bench"))
    from signed_in import first_tier_pages, role_pages, session_cookie

    pages = [(path, who) for path, who in first_tier_pages() + role_pages() if not argv or path in argv]
    clients: dict[str, Client] = {}
    cache = caches["default"]
    calls = {"n": 0}
    for name in ("get", "get_many", "set", "set_many", "add", "delete", "incr"):
        original = getattr(cache, name)

        def counted(*args, _original=original, **kwargs):
            calls["n"] += 1
            return _original(*args, **kwargs)

        setattr(cache, name, counted)

    print(f"{'page':<34} {'who':<14} {'ms':>7} {'cpu ms':>7} {'queries':>8} {'cache':>6}")
    for path, who in pages:
        client = clients.get(who)
        if client is None:
            client = clients[who] = Client(HTTP_ACCEPT_ENCODING="gzip")
            for pair in session_cookie(who).split("; "):
                name, value = pair.split("=", 1)
                client.cookies[name] = value
        for _ in range(3):
            response = client.get(path)
            if response.status_code != 200:
                print(f"{path} as {who}: {response.status_code}", file=sys.stderr)
                break
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *a, _q=queries: _q.append(sql) or execute(sql, *a)):
            calls["n"] = 0
            client.get(path)
        cache_calls = calls["n"]
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(RUNS):
            client.get(path)
        ms = (time.perf_counter() - started) * 1000 / RUNS
        cpu_ms = (time.process_time() - cpu) * 1000 / RUNS  # this process only: not PostgreSQL's or Redis's
        print(f"{path:<34} {who:<14} {ms:7.2f} {cpu_ms:7.2f} {len(queries):8d} {cache_calls:6d}", flush=True)
        if SHOW_SQL:
            for sql in queries:
                print("    ", sql[:300])
        if PROFILE:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(PROFILE_RUNS):
                client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
