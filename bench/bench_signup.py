"""The sign-up rush and the big draw: python bench/bench_signup.py

1. Rush: an activity with BENCH_PLACES (100) places and a waiting list; BENCH_PEOPLE (500)
   signed-in workers POST "sign up" at once from BENCH_CONCURRENCY (50) client threads to
   gunicorn (production settings, BENCH_WORKERS workers) over HTTP. Prints the time until every
   request is answered, p50/p95, errors, and the final counts, which must be exactly 100
   confirmed and 400 waiting (exit 1 otherwise, or on any error).
2. Draw: BENCH_DRAW (20,000) applications on a draw roster, drawn with a stored seed, then
   replayed from the seed; prints both times (target: draw < 5 s) and checks the replay gives
   the same list.

Its own database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_signup;
SQLite works too, but the rush is about PostgreSQL's row lock).
"""

import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, bench_env, free_port, gunicorn, manage, reset_database, setup_django, wait_up  # noqa: E402

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_signup")
PLACES = int(os.environ.get("BENCH_PLACES", "100"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "500"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "50"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
DRAW = int(os.environ.get("BENCH_DRAW", "20000"))
CSRF = "b" * 32  # an unmasked CSRF secret: the same value in the cookie and the header


def fill():
    """An activity, PEOPLE users and a signed-in session for each (made directly, not by logging in)."""
    import datetime

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.activities import services
    from apps.activities.models import Activity, Kind
    from apps.core.models import Organization

    department, _ = Organization.objects.get_or_create(name="兴化市总工会宣传教育部", kind=Organization.Kind.UNION)
    activity = Activity(kind=Kind.TRAINING, title="电商直播（压测）", organiser=department, place_name="恒兴科技园")
    services.activity_save(activity=activity, roster_fields={"places": PLACES, "waiting_list": True})
    start = timezone.now() + datetime.timedelta(days=7)
    services.session_add(activity=activity, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    services.activity_publish(activity=activity)
    users = User.objects.bulk_create(
        [User(username=f"rush{i}", real_name=f"职工{i}", password="!") for i in range(PEOPLE)], batch_size=1000
    )
    users = list(User.objects.filter(username__startswith="rush").order_by("pk"))
    cookies = []
    backend = settings.AUTHENTICATION_BACKENDS[0]
    for user in users:
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}")
    return activity, cookies


def rush(base: str, activity, cookies) -> dict:
    url = f"{base}/activities/{activity.pk}/signup/"
    timings, errors, lock = [], [], threading.Lock()
    queue = list(cookies)
    barrier = threading.Barrier(CONCURRENCY)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def client():
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    return
                cookie = queue.pop()
            request = urllib.request.Request(
                url, data=b"", method="POST", headers={"Cookie": cookie, "X-CSRFToken": CSRF}
            )
            t0 = time.perf_counter()
            try:
                status = opener.open(request, timeout=60).status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError as exc:  # connection refused or reset: an error too
                status = repr(exc)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                timings.append(elapsed)
                if status != 302:
                    errors.append(status)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "settle": time.perf_counter() - started,
        "p50": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20)[-1],
        "errors": errors,
    }


def draw_bench() -> tuple[float, float, bool]:
    import datetime

    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.models import Town
    from apps.enrolment.models import Enrolment, Roster
    from apps.enrolment.services import draw_replay, draw_run, roster_create

    town = Town.objects.create(name="抽签压测镇")
    roster = roster_create(
        owner=town,
        title="联谊会（抽签压测）",
        places=PLACES,
        allocation=Roster.Allocation.DRAW,
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    User.objects.bulk_create([User(username=f"draw{i}", password="!") for i in range(DRAW)], batch_size=2000)
    people = User.objects.filter(username__startswith="draw").values_list("pk", flat=True)
    Enrolment.objects.bulk_create(
        [Enrolment(roster=roster, person_id=pk, state=Enrolment.State.APPLIED) for pk in people], batch_size=2000
    )
    Roster.objects.filter(pk=roster.pk).update(applied=DRAW)
    from apps.enrolment.services import draw_notify
    from apps.reminders import outbox

    relay, outbox.relay = outbox.relay, lambda row_id: False  # the fan-out is timed on its own below
    t0 = time.perf_counter()
    draw_run(roster=roster, seed="bench-seed")
    drawn = time.perf_counter() - t0
    outbox.relay = relay
    roster.refresh_from_db()
    t0 = time.perf_counter()
    _order, same = draw_replay(roster=roster)
    replayed = time.perf_counter() - t0
    t0 = time.perf_counter()
    told = draw_notify(roster_id=roster.pk)
    print(f"  draw results told to {told:,} people in {time.perf_counter() - t0:.2f} s (the task after the draw)")
    return drawn, replayed, same


def main() -> int:
    env = bench_env("signup", DB_URL)
    env["REDIS_URL"] = ""
    reset_database(DB_URL)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    setup_django(env)
    activity, cookies = fill()
    port = free_port()
    with gunicorn(env, port, WORKERS) as base:
        wait_up(f"{base}/healthz")
        result = rush(base, activity, cookies)
    from django.db.models import Count

    from apps.enrolment.models import Enrolment

    counts = dict(Enrolment.objects.filter(roster=activity.roster).values_list("state").annotate(n=Count("pk")))
    confirmed, waiting = counts.get("confirmed", 0), counts.get("waiting", 0)
    engine = DB_URL.split(":")[0]
    print(
        f"Rush: {PEOPLE} sign-ups for {PLACES} places, {CONCURRENCY} client threads, gunicorn -w {WORKERS} ({engine})"
    )
    print(f"  settled in {result['settle']:.2f} s · p50 {result['p50']:.0f} ms · p95 {result['p95']:.0f} ms")
    print(f"  errors {len(result['errors'])} {sorted(set(map(str, result['errors'])))[:5]}")
    print(f"  confirmed {confirmed} · waiting {waiting} · other {sum(counts.values()) - confirmed - waiting}")
    drawn, replayed, same = draw_bench()
    print(f"Draw: {DRAW:,} applications, {PLACES} places: draw {drawn:.2f} s · replay {replayed:.2f} s · same {same}")
    ok = (
        not result["errors"]
        and confirmed == min(PLACES, PEOPLE)
        and waiting == max(0, PEOPLE - PLACES)
        and same
        and drawn < 5
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
