"""The portal's public and signed-in pages next to a bare-Django ceiling, in one run:
python bench/bench_pages.py

What it does
  * Resets a PostgreSQL database of its own (BENCH_DATABASE_URL, default
    postgres://postgres@127.0.0.1:5432/bench_pages) and starts a private Redis on a free loopback
    port (no persistence; stopped at the end).
  * Prepares the portal with the production settings (harness.bench_env plus REDIS_URL): migrate,
    collectstatic, compilemessages, then the demo data (load_demo runs with the local settings over
    the same database, because it refuses production settings).
  * BENCH_SCALE=large additionally fills, in-process with bulk_create, up to 100,000 articles,
    20 years of ten-things plans (10 items x 5 indicators x 50 verified reports each) and 5,000
    stations. The default scale is the demo data alone.
  * Signs in the demo people (sessions made in-process) so wrk can send their session cookies:
    the worker 刘师傅 for the public pages and the worker's own pages, and for each role the demo
    person who holds it (bench/signed_in.py says who opens what).
  * Starts gunicorn servers on free loopback ports with the same options
    (-w 2 --worker-class sync unless BENCH_GUNICORN says otherwise, no access log, no control socket):
      ceiling   bench/ceiling.py: no middleware, no database, "hello" at every path
      cached    the portal with PAGE_CACHE_ENABLED=true
      uncached  the portal with PAGE_CACHE_ENABLED=false (not started with BENCH_ANONYMOUS=0)
  * Rows, in three tiers: the public pages (anonymous cached, anonymous uncached and signed in as
    the worker), the worker's own pages (/activities/, /me/, the inbox), and "queue": each role's
    work list and /me/ as that role's person. Each page must answer 200 first, on every server.
    For every row it loads, one after another, the ceiling (the same path on the ceiling server)
    and then each mode, each with `wrk -t2 -c8 -d{BENCH_SECONDS}s` after a warm-up of that target,
    every request sending "Accept-Encoding: gzip, deflate, br" as browsers do
    (BENCH_ACCEPT_ENCODING; empty for a client that takes no compression).
    The ceiling is measured again before every row, and each "% of ceiling" divides by the
    ceiling measured right before it (not an average), so drift on a shared machine hits both.
  * Targets (issue 28): every first-tier page signed in at >= 10 % of the ceiling and p95 < 50 ms
    (< 100 ms at large scale); every queue row p95 < 100 ms (< 200 ms at large scale).

Env: BENCH_DATABASE_URL, BENCH_SCALE (default | large), BENCH_SECONDS (4 per measurement),
BENCH_WARMUP (1 s), BENCH_ANONYMOUS (1; 0 leaves the anonymous modes out, halving the run),
BENCH_REUSE (0; 1 keeps the database an earlier run of the same scale prepared),
BENCH_ACCEPT_ENCODING (default "gzip, deflate, br"),
BENCH_GUNICORN (the worker options, default "-w 2 --worker-class sync"), BENCH_PAGES (only these
paths, comma-separated; "/" is the home page alone, "/news/" every page under it).
Needs redis-server, wrk and PostgreSQL on 127.0.0.1; only loopback addresses are used.

Prints a header (machine, load average before the run, versions, data sizes, wrk settings) and a
Markdown table: page | tier | mode | req/s | p50 ms | p95 ms | % of ceiling | target (rows with
failed requests say so; the target column says "ok" or what is missed).
Nothing else is written besides the bench's own database, /tmp folders (static and media
files; server logs in /tmp/bench_pages_logs/), a temporary Lua script and the compiled
messages (*.mo, ignored by git). Exits 1 when any request failed (a non-2xx/3xx status, a
socket error or a wrk timeout), a measurement made no request, a page did not answer 200, or a
signed-in row missed its target.
Runtime: about 42 rows x 2-4 targets x (BENCH_WARMUP + BENCH_SECONDS) s plus setup (~2-3 min;
longer at large scale): ~6 min with BENCH_ANONYMOUS=0 BENCH_SECONDS=3; every subprocess has a
timeout and is stopped on exit.
"""

import datetime
import http.client
import importlib.metadata
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path

from harness import ROOT, bench_env, free_port, redis_server, reset_database, setup_django, stop, wait_port
from signed_in import MIN_SHARE, P95_TARGETS, WORKER

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_pages")
SCALE = os.environ.get("BENCH_SCALE", "default")
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP", "1"))
# BENCH_ANONYMOUS=0: only the ceiling and the signed-in rows (the anonymous modes take half the run).
ANONYMOUS = os.environ.get("BENCH_ANONYMOUS", "1") != "0"
# BENCH_REUSE=1: keep the database, static files and messages an earlier run prepared (a shared
# machine spends minutes on load_demo); only migrate. The data sizes are printed either way.
REUSE = os.environ.get("BENCH_REUSE", "0") == "1"
LOAD_BEFORE = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
# What every browser sends; the ceiling's "hello" is too short to be compressed either way.
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate, br")
THREADS, CONNECTIONS = 2, 8
# BENCH_GUNICORN replaces the worker options for every server alike, to compare settings
# (e.g. "-w 5 --worker-class sync" or "-w 2 --worker-class gthread --threads 4").
WORKER_OPTIONS = os.environ.get("BENCH_GUNICORN", "-w 2 --worker-class sync").split()
GUNICORN_OPTIONS = [*WORKER_OPTIONS, "--access-logfile", "/dev/null"]
# BENCH_PAGES: only the pages whose path starts with one of these (comma-separated), e.g. "/news/,/".
ONLY = [p for p in os.environ.get("BENCH_PAGES", "").split(",") if p]
# Three servers at once must not share (and fight over) gunicorn's default control socket.
GUNICORN_OPTIONS += ["--log-level", "warning", "--no-control-socket"]
LARGE = {"articles": 100_000, "plan_years": 20, "reports_per_indicator": 50, "stations": 5_000}
LOGS = Path(tempfile.gettempdir()) / "bench_pages_logs"  # one log per server, overwritten each run

# wrk calls done() once at the end; the line is parsed below (latencies are in microseconds).
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT p50=%.0f p95=%.0f requests=%d status=%d connect=%d read=%d write=%d timeout=%d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests,
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def manage(env: dict, *args, timeout: float = 900) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=timeout
    )


# --- data ------------------------------------------------------------------------------------
def fill_articles(total: int) -> None:
    """Published articles (as bench_news.py builds them) until there are `total`."""
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.news.models import Article, Column
    from apps.news.sanitize import body_plain_text
    from apps.news.search import index_terms, segment

    missing = total - Article.objects.count()
    if missing <= 0:
        return
    author, _ = User.objects.get_or_create(username="bench-editor", defaults={"real_name": "压测编辑"})
    columns = list(Column.objects.all()) or [Column.objects.create(name="工会要闻", slug="yaowen")]
    texts = [
        ("劳模工匠助企行走进企业", "劳模工匠深入企业开展技术服务，解决技术难题，组织职工技能提升活动。"),
        ("户外劳动者驿站新开放", "兴惠有你24小时户外劳动者驿站为环卫工人、快递员提供热饭、饮水、休息和充电服务。"),
        ("基层工会法律服务站揭牌", "法律服务站融合人社所和司法所资源，为职工提供法律咨询和劳动争议调解。"),
        ("十件实事推进会召开", "市总工会召开服务职工十件实事推进会，逐项通报进展，确保落地落细落实。"),
        ("职工书屋读书分享会", "职工书屋开展读书分享、经典诵读和文化沙龙活动，书香润职工。"),
    ]
    prepared = []
    for title, text in texts:
        body = "".join(f"<p>{text}第{k}段。</p>" for k in range(8))
        plain = body_plain_text(body)
        prepared.append((title, text, body, plain, segment(f"{title}\n{text}\n{plain}")))
    # Older than the demo articles, so the demo ones stay on top of the lists.
    start = (Article.objects.order_by("published_at").values_list("published_at", flat=True).first()) or (
        timezone.now()
    )
    batch = []
    for i in range(missing):
        title, text, body, plain, seg = prepared[i % len(prepared)]
        at = start - datetime.timedelta(hours=(i + 1) * 2)
        batch.append(
            Article(
                title=f"{title}（压测{i}）",
                summary=text,
                body=body,
                body_text=plain,
                search_text=seg,
                column=columns[i % len(columns)],
                author=author,
                status=Article.Status.PUBLISHED,
                published_at=at,
                publish_at=at,
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch, batch_size=1000)
            batch = []
    Article.objects.bulk_create(batch, batch_size=1000)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector
        from django.db.models import Value

        for title, text, _body, plain, _seg in prepared:
            Article.objects.filter(title__startswith=f"{title}（压测", search_vector__isnull=True).update(
                search_vector=SearchVector(Value(index_terms(title)), weight="A", config="simple")
                + SearchVector(Value(index_terms(text)), weight="B", config="simple")
                + SearchVector(Value(index_terms(plain)), weight="C", config="simple")
            )


def fill_plans(years: int, reports: int) -> None:
    """Published plans back from 2024 until there are `years`, each 10 items x 5 indicators x `reports`."""
    from apps.accounts.models import User
    from apps.tenthings.models import Indicator, Item, Plan, ProgressReport

    reporter, _ = User.objects.get_or_create(username="bench-reporter", defaults={"real_name": "压测填报人"})
    have = set(Plan.objects.values_list("year", flat=True))
    wanted = [y for y in range(2024, 1999, -1) if y not in have][: max(0, years - len(have))]
    for year in wanted:
        plan = Plan.objects.create(year=year, title=f"{year}年十件实事", published=True)
        items = Item.objects.bulk_create(Item(plan=plan, number=n, title=f"实事{n}") for n in range(1, 11))
        indicators = Indicator.objects.bulk_create(
            Indicator(item=item, name=f"指标{i}", kind="quantity", unit="名", target=1000, sort_order=i)
            for item in items
            for i in range(5)
        )
        ProgressReport.objects.bulk_create(
            (
                ProgressReport(
                    indicator=indicator,
                    reported_on=datetime.date(year, r % 12 + 1, r % 28 + 1),
                    amount=Decimal(r % 7 + 1),
                    narrative="压测进展",
                    reporter=reporter,
                    status=ProgressReport.Status.VERIFIED,
                )
                for indicator in indicators
                for r in range(reports)
            ),
            batch_size=1000,
        )


def fill_stations(total: int) -> None:
    """Open stations around Xinghua (as bench_stations.py builds them) until there are `total`."""
    import random

    from apps.core.models import Town
    from apps.stations.models import Amenity, OpeningHours, Station

    missing = total - Station.objects.count()
    if missing <= 0:
        return
    rng = random.Random(7)
    towns = list(Town.objects.all()) or [Town.objects.create(name="压测镇")]
    amenities = list(Amenity.objects.all())
    stations = Station.objects.bulk_create(
        (
            Station(
                code=f"bench-{i:05d}",
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
            for i in range(missing)
        ),
        batch_size=1000,
    )
    through = Station.amenities.through
    through.objects.bulk_create(
        (through(station=s, amenity=a) for s in stations for a in amenities if rng.random() < 0.6), batch_size=5000
    )
    OpeningHours.objects.bulk_create(
        (
            OpeningHours(station=s, weekday=d, opens=datetime.time(8), closes=datetime.time(20))
            for s in stations
            if not s.is_24h
            for d in range(7)
        ),
        batch_size=5000,
    )


def prepare(env: dict) -> tuple[list[tuple[str, str, str]], dict, dict]:
    """Data in place (in-process); returns the pages (path, tier, who), the session cookie of
    each person and the data sizes."""
    setup_django(env)
    from django.db import connection

    from apps.accounts.models import User
    from apps.news.models import Article
    from apps.stations.models import Station
    from apps.tenthings.models import Indicator, Plan, ProgressReport

    if SCALE == "large":
        started = time.monotonic()
        fill_articles(LARGE["articles"])
        fill_plans(LARGE["plan_years"], LARGE["reports_per_indicator"])
        fill_stations(LARGE["stations"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load
        print(f"large data filled in {time.monotonic() - started:.0f} s", flush=True)

    from signed_in import WORKER, first_tier_pages, role_pages, session_cookie

    User.objects.filter(username=WORKER).exists() or User.objects.create_user(username=WORKER, real_name="压测职工")
    article = Article.objects.published().order_by("-published_at", "-id").first()
    station = Station.objects.public().order_by("pk").first()
    if article is None or station is None:
        raise SystemExit("no published article or public station: did load_demo run?")
    public = [
        "/",
        "/news/",
        f"/news/{article.pk}/",
        "/news/feed/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/ten-things/",
        "/ten-things/2024/",
        "/ten-things/2024/1/",
        "/stations/",
        f"/stations/{station.pk}/",
        "/stations/map.json",
        "/legal/",
        "/innovation/",
    ]
    # (path, tier, demo person): the public pages signed in as a worker, the worker's own pages,
    # then each role's queue and /me/ as that role's person.
    first = dict(first_tier_pages())
    pages = [(path, "first" if path in first else "other", WORKER) for path in public]
    pages += [(path, "first", who) for path, who in first.items() if path not in public]
    pages += [(path, "queue", who) for path, who in role_pages()]
    if ONLY:
        pages = [
            page
            for page in pages
            if any(page[0] == only or (only != "/" and page[0].startswith(only)) for only in ONLY)
        ]
    cookies = {who: session_cookie(who) for who in dict.fromkeys(who for _p, _t, who in pages)}
    sizes = {
        "articles": f"{Article.objects.published().count():,} published of {Article.objects.count():,}",
        "ten-things": f"{Plan.objects.count()} plans, {Indicator.objects.count():,} indicators, "
        f"{ProgressReport.objects.count():,} reports",
        "stations": f"{Station.objects.public().count():,} public of {Station.objects.count():,}",
    }
    connection.close()
    return pages, cookies, sizes


# --- servers and load ------------------------------------------------------------------------
@contextmanager
def gunicorn_server(name: str, env: dict, port: int, app: list[str]):
    """gunicorn with the shared options; its log (errors, tracebacks) goes to LOGS/<name>.log."""
    LOGS.mkdir(exist_ok=True)
    with open(LOGS / f"{name}.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *app, "--bind", f"127.0.0.1:{port}", *GUNICORN_OPTIONS],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            wait_port(port, timeout=60)
            yield port
        finally:
            stop(server)


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wrk(port: int, path: str, seconds: int, script: Path, cookie: str = "") -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
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


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    versions = ", ".join(
        [f"Python {platform.python_version()}"]
        + [f"{name} {importlib.metadata.version(name)}" for name in ("Django", "gunicorn")]
    )
    return f"{os.cpu_count()} CPUs ({cpu}); {versions}; {wrk_version}"


def verdict(tier: str, mode: str, share: float, p95: float) -> str:
    """What the issue asks of a signed-in row (empty for the anonymous and ceiling rows)."""
    if mode != "signed-in" or tier == "other":
        return ""
    target = P95_TARGETS[tier][SCALE if SCALE in ("default", "large") else "default"]
    problems = []
    if tier == "first" and share < MIN_SHARE:
        problems.append(f"under {MIN_SHARE:.0f} %")
    if p95 > target:
        problems.append(f"p95 over {target} ms")
    return ", ".join(problems) if problems else f"ok (p95 < {target} ms)"


def main() -> int:
    # SIGTERM (e.g. a timeout around the run) unwinds through the finally blocks like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    clean = {k: v for k, v in os.environ.items() if k not in ("GUNICORN_CMD_ARGS", "DJANGO_SETTINGS_MODULE")}
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(free_port()))
        env = {**bench_env("pages", DB_URL), "REDIS_URL": redis_url}
        env.pop("GUNICORN_CMD_ARGS", None)
        if REUSE:
            print(f"Reusing {DB_URL} as an earlier run left it (BENCH_REUSE=1) …", flush=True)
            manage(env, "migrate", "--noinput")
        else:
            print(f"Preparing {DB_URL} (scale {SCALE}): migrate, static files, messages, demo data …", flush=True)
            reset_database(DB_URL)
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput")
            manage(env, "compilemessages", "--ignore=.venv")
            manage({**env, "DJANGO_SETTINGS_MODULE": "union_portal.settings.local"}, "load_demo")
        pages, cookies, sizes = prepare(env)
        print(f"setup took {time.monotonic() - began:.0f} s", flush=True)

        ceiling = ["--chdir", "bench", "ceiling:application"]
        portal = ["union_portal.wsgi:application"]
        servers = {
            "ceiling": stack.enter_context(gunicorn_server("ceiling", clean, free_port(), ceiling)),
            "cached": stack.enter_context(
                gunicorn_server("cached", {**env, "PAGE_CACHE_ENABLED": "true"}, free_port(), portal)
            ),
        }
        if ANONYMOUS:
            servers["uncached"] = stack.enter_context(
                gunicorn_server("uncached", {**env, "PAGE_CACHE_ENABLED": "false"}, free_port(), portal)
            )

        def modes_of(tier: str, who: str) -> list[tuple[str, int, str]]:
            """(mode, port, cookie) of each measurement of a row, the ceiling first."""
            found = [("ceiling", servers["ceiling"], "")]
            if ANONYMOUS and tier != "queue" and who == WORKER:
                found += [("anonymous cached", servers["cached"], ""), ("anonymous uncached", servers["uncached"], "")]
            return [*found, ("signed-in", servers["cached"], cookies[who])]

        # Every page answers 200 on every target before any load, and each cookie really signs in.
        broken = [
            f"{path} ({mode} as {who}: {status})"
            for path, tier, who in pages
            for mode, port, session in modes_of(tier, who)
            if (status := get(port, path, session)[0]) != 200
        ]
        broken += [
            f"/me/ as {who} (the session does not sign in)"
            for who, cookie in cookies.items()
            if get(servers["cached"], "/me/", cookie)[0] != 200
        ]
        if broken:
            print("Pages that do not answer 200:\n  " + "\n  ".join(broken), file=sys.stderr)
            print(f"Server logs: {LOGS}/", file=sys.stderr)
            return 1

        script = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_pages_"))) / "report.lua"
        script.write_text(LUA)
        rows, failures, misses = [], [], []
        for path, tier, who in pages:
            ceiling_rps = None
            for mode, port, session in modes_of(tier, who):
                wrk(port, path, WARMUP_SECONDS, script, session)
                result = wrk(port, path, SECONDS, script, session)
                if mode == "ceiling":
                    ceiling_rps = result["rps"]
                label = mode if mode != "signed-in" else f"signed-in ({who})"
                if result["failed"] or not result["requests"]:
                    failures.append(f"{path} {mode}: {result}")
                    label += f" (**{result['failed']} of {result['requests']} failed**)"
                share = 100 * result["rps"] / ceiling_rps if ceiling_rps else 0
                p95 = result["p95"] / 1000
                judged = verdict(tier, mode, share, p95)
                if judged and not judged.startswith("ok"):
                    misses.append(f"{path} as {who}: {judged}")
                rows.append((path, tier, label, result["rps"], result["p50"] / 1000, p95, share, judged))
                print(f"  {path:<24} {label:<28} {result['rps']:9.1f} req/s {share:5.1f}%", file=sys.stderr, flush=True)

    print()
    print(f"Machine: {machine()}; load average before the run {LOAD_BEFORE}")
    print(f"Data ({SCALE} scale): " + "; ".join(f"{k}: {v}" for k, v in sizes.items()))
    print(
        f"Load: wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s after a {WARMUP_SECONDS} s warm-up per target, "
        f"Accept-Encoding: {ACCEPT_ENCODING or '(none)'}; "
        f"gunicorn {' '.join(GUNICORN_OPTIONS)}; PostgreSQL + private Redis; ceiling re-measured before each page"
    )
    print()
    print("| page | tier | mode | req/s | p50 ms | p95 ms | % of ceiling | target |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    for path, tier, mode, rps, p50, p95, share, judged in rows:
        print(f"| `{path}` | {tier} | {mode} | {rps:.1f} | {p50:.1f} | {p95:.1f} | {share:.1f}% | {judged} |")
    print()
    print(f"Total run time {time.monotonic() - began:.0f} s.")
    if failures:
        print("FAILED requests:\n  " + "\n  ".join(failures))
        print(f"Server logs (tracebacks): {LOGS}/")
    if misses:
        print("Pages off their target:\n  " + "\n  ".join(misses))
    return 1 if failures or misses else 0


if __name__ == "__main__":
    sys.exit(main())
