"""Benchmark the news pages against gunicorn on loopback: python bench/bench_news.py

Fills its own database (SQLite file /tmp/bench_news.sqlite3, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_news) with 5,000 published articles, starts gunicorn
with the production settings, sends a bounded number of requests to /, /news/, an article
and a search, prints requests/s and p95 latency per URL, then stops the server.
Options (env): BENCH_ARTICLES (5000), BENCH_REQUESTS per URL (200), BENCH_CONCURRENCY (4),
BENCH_PORT (8799), BENCH_WORKERS (2).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_news.sqlite3")
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "5000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8799"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
STATIC_ROOT = os.path.join(tempfile.gettempdir(), "bench_news_static")

SERVER_ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": DB_URL,
    "STATIC_ROOT": STATIC_ROOT,
    "CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
}

BODIES = [
    ("劳模工匠助企行走进企业", "劳模工匠深入企业开展技术服务，解决技术难题，组织职工技能提升活动。"),
    ("户外劳动者驿站新开放", "兴惠有你24小时户外劳动者驿站为环卫工人、快递员提供热饭、饮水、休息和充电服务。"),
    ("基层工会法律服务站揭牌", "法律服务站融合人社所和司法所资源，为职工提供法律咨询和劳动争议调解。"),
    ("十件实事推进会召开", "市总工会召开服务职工十件实事推进会，逐项通报进展，确保落地落细落实。"),
    ("职工书屋读书分享会", "职工书屋开展读书分享、经典诵读和文化沙龙活动，书香润职工。"),
]


def fill() -> int:
    """Create the schema and the articles (once); returns the id of one article."""
    os.environ.update({k: v for k, v in SERVER_ENV.items() if k != "DJANGO_SETTINGS_MODULE"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "union_portal.settings.local"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.news.models import Article, Column
    from apps.news.sanitize import body_plain_text
    from apps.news.search import index_terms, segment

    call_command("migrate", verbosity=0)
    if Article.objects.count() >= ARTICLES:
        return Article.objects.published().order_by("-published_at").values_list("pk", flat=True)[100]
    author, _ = User.objects.get_or_create(username="bench-editor", defaults={"real_name": "压测编辑"})
    columns = [
        Column.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": i})[0]
        for i, (slug, name) in enumerate(
            [
                ("yaowen", "工会要闻"),
                ("laomo", "劳模工匠"),
                ("weiquan", "维权服务"),
                ("fuwu", "职工服务"),
                ("jiceng", "基层动态"),
            ]
        )
    ]
    prepared = []
    for title, text in BODIES:
        body = "".join(f"<p>{text}第{k}段。</p>" for k in range(8))
        plain = body_plain_text(body)
        prepared.append(
            (
                title,
                text,
                body,
                plain,
                segment(f"{title}\n{text}\n{plain}"),
                index_terms(title),
                index_terms(text),
                index_terms(plain),
            )
        )
    now = timezone.now()
    batch = []
    for i in range(ARTICLES - Article.objects.count()):
        title, text, body, plain, seg, *_ = prepared[i % len(prepared)]
        at = now - timezone.timedelta(hours=i * 3)
        batch.append(
            Article(
                title=f"{title}（{i}）",
                summary=text,
                body=body,
                body_text=plain,
                search_text=seg,
                column=columns[i % len(columns)],
                author=author,
                status=Article.Status.PUBLISHED,
                published_at=at,
                publish_at=at,
                pinned=i < 3,
            )
        )
    Article.objects.bulk_create(batch, batch_size=500)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector
        from django.db.models import Value

        for title, _text, _b, _p, _s, t_terms, s_terms, b_terms in prepared:
            Article.objects.filter(title__startswith=title, search_vector__isnull=True).update(
                search_vector=SearchVector(Value(t_terms), weight="A", config="simple")
                + SearchVector(Value(s_terms), weight="B", config="simple")
                + SearchVector(Value(b_terms), weight="C", config="simple")
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE news_article")  # fresh planner statistics after the bulk load
    print(f"filled {Article.objects.count()} articles ({connection.vendor})")
    return Article.objects.published().order_by("-published_at").values_list("pk", flat=True)[100]


def fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - start


def measure(base: str, path: str) -> tuple[float, float, float]:
    url = base + path
    for _ in range(5):  # warm caches and connections
        fetch(url)
    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        latencies = list(pool.map(lambda _i: fetch(url), range(REQUESTS)))
    elapsed = time.perf_counter() - start
    p95 = statistics.quantiles(latencies, n=20)[18]
    return REQUESTS / elapsed, p95 * 1000, statistics.median(latencies) * 1000


def main() -> None:
    article_id = fill()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=SERVER_ENV, check=True
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "union_portal.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=SERVER_ENV,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/healthz")
                break
            except Exception:
                time.sleep(0.2)
        from urllib.parse import quote

        paths = ["/", "/news/", f"/news/{article_id}/", "/news/?q=" + quote("驿站"), "/news/?q=" + quote("法律服务")]
        print(f"{REQUESTS} requests per URL, concurrency {CONCURRENCY}, {WORKERS} gunicorn workers, {DB_URL}")
        print(f"{'URL':<40} {'req/s':>8} {'p95 ms':>8} {'p50 ms':>8}")
        for path in paths:
            rps, p95, p50 = measure(base, path)
            print(f"{path:<40} {rps:8.1f} {p95:8.1f} {p50:8.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
