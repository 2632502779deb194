"""Latency of the legal-aid pages at city scale: python bench/bench_legal.py

Builds its own database (SQLite file under /tmp, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_legal), fills it with 26 legal stations, five years
of duty shifts, 50,000 consultations (2% still open) and a legal officer, starts gunicorn on
a loopback port with the production settings, fires a bounded number of requests at /legal/,
a station page and the officer's triage queue, prints requests/s and p95, and stops the server.
Env: BENCH_CONSULTATIONS (50000), BENCH_REQUESTS (100 per URL), BENCH_PORT (8765), BENCH_WORKERS (2).
"""

import datetime
import os
import random
import sys
import urllib.request
from decimal import Decimal

from harness import bench_env, gunicorn, manage, measure, request, reset_database, setup_django, wait_up

N_CONSULTATIONS = int(os.environ.get("BENCH_CONSULTATIONS", "50000"))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_legal.sqlite3")
ENV = bench_env("legal", DB_URL)


def seed():
    """26 stations, ~2 shifts per station-week for five years, 50,000 consultations; returns (station pk, cookie)."""
    setup_django(ENV)
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.utils import timezone

    from apps.accounts.services import role_permissions_sync, user_role_add
    from apps.core.models import Organization, Town
    from apps.legal_aid.models import Consultation, DutyShift, LawyerProfile, LegalStation, Topic

    rng = random.Random(9)
    role_permissions_sync()
    User = get_user_model()
    officer = User.objects.create_user("bench-officer", password="bench-pass-1234")
    user_role_add(user=officer, role="legal_officer")
    firm = Organization.objects.create(name="压测律所")
    towns = [Town.objects.get_or_create(name=f"压测镇{i}")[0] for i in range(26)]
    stations = LegalStation.objects.bulk_create(
        [
            LegalStation(
                code=f"BENCH-{i:02d}",
                name=f"压测法律服务站{i}",
                kind=LegalStation.Kind.GRASSROOTS,
                town=towns[i],
                address=f"测试路{i}号",
                latitude=Decimal(f"{32.93 + rng.uniform(-0.3, 0.3):.6f}"),
                longitude=Decimal(f"{119.84 + rng.uniform(-0.35, 0.35):.6f}"),
                status=LegalStation.Status.OPEN,
                opened_on=datetime.date(2021, 1, 1),
                services=["advice", "mediation"],
            )
            for i in range(26)
        ]
    )
    lawyers = []
    for i in range(20):
        user = User.objects.create_user(f"bench-lawyer{i}", real_name=f"律师{i}")
        profile = LawyerProfile.objects.create(user=user, firm=firm)
        profile.stations.set(stations)
        lawyers.append(profile)
    today = timezone.localdate()
    first = today - datetime.timedelta(days=5 * 365)
    shifts = []
    day = first
    while day <= today + datetime.timedelta(days=60):
        if day.weekday() < 5:
            for n, station in enumerate(stations):
                if (day.toordinal() + n) % 3 == 0:
                    shifts.append(
                        DutyShift(
                            station=station,
                            lawyer=lawyers[(day.toordinal() + n) % len(lawyers)],
                            date=day,
                            start=datetime.time(9 + n % 2 * 5),
                            end=datetime.time(11 + n % 2 * 5),
                            status="done" if day < today else "scheduled",
                        )
                    )
        day += datetime.timedelta(days=1)
    DutyShift.objects.bulk_create(shifts, batch_size=2000, ignore_conflicts=True)
    now = timezone.now()
    topics = Topic.values
    rows = []
    for i in range(N_CONSULTATIONS):
        is_open = i % 50 == 0
        created = now - datetime.timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60) if not is_open else i % 9000)
        rows.append(
            Consultation(
                contact_name=f"职工{i}",
                contact_phone="13800000000",
                station=stations[i % 26],
                topic=topics[i % len(topics)],
                question="压测问题",
                channel="written",
                consent_at=created,
                due_at=created + datetime.timedelta(days=2),
                status="submitted" if is_open else "closed",
                outcome="" if is_open else "answered",
                lawyer=None if is_open else lawyers[i % len(lawyers)],
                first_response_at=None if is_open else created + datetime.timedelta(hours=5),
            )
        )
    Consultation.objects.bulk_create(rows, batch_size=2000)
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.save()
    return stations[0].pk, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main():
    print(
        f"legal bench: 26 stations, 5 years of shifts, {N_CONSULTATIONS} consultations, {N_REQUESTS} requests per URL, "
        f"db {DB_URL.split(':')[0]}"
    )
    reset_database(DB_URL)
    manage(ENV, "migrate", "--noinput")
    manage(ENV, "collectstatic", "--noinput")
    station, cookie = seed()
    urls = {
        "/legal/": ("/legal/", ""),
        "station page": (f"/legal/stations/{station}/", ""),
        "triage queue (officer)": ("/legal/triage/", cookie),
        "triage queue page 10": ("/legal/triage/?page=10", cookie),
    }
    with gunicorn(ENV, PORT, WORKERS) as base:
        wait_up(base + "/legal/")
        page = urllib.request.urlopen(request(base + "/legal/triage/", cookie), timeout=10).read().decode()
        if 'data-testid="triage-queue"' not in page:
            raise SystemExit("the officer's session was not accepted")
        print(f"{'url':<26}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
        for label, (path, cookie_header) in urls.items():
            rps, p95, p50 = measure(base + path, N_REQUESTS, cookie_header)
            print(f"{label:<26}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
