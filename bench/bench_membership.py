"""Latency of the member-card check and a union's queue at city scale: python bench/bench_membership.py

Builds its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_membership; a sqlite:/// URL works too), fills it with
300 unions, BENCH_MEMBERS (200,000) members with their ledger rows, 20,000 workers of whom 2,000
have an open application (1,000 of them in one union's queue), starts gunicorn on a loopback
port with the production settings, times the verify page (a valid card, a forged token) and the
union staff's queue (page 1 and page 10) and the member list, prints requests/s, p50 and p95.
Goals: verify p95 < 100 ms, a queue page p95 < 200 ms; exits 1 when one is missed.
Env: BENCH_MEMBERS (200000), BENCH_REQUESTS (100 per URL), BENCH_PORT (8766), BENCH_WORKERS (2).
"""

import datetime
import os
import sys
import urllib.request

from harness import bench_env, gunicorn, manage, measure, request, reset_database, setup_django, wait_up

N_MEMBERS = int(os.environ.get("BENCH_MEMBERS", "200000"))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
PORT = int(os.environ.get("BENCH_PORT", "8766"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_membership")
ENV = bench_env("membership", DB_URL)
GOALS = {"verify (valid card)": 100, "verify (forged token)": 100, "queue page 1": 200, "queue page 10": 200}


def seed():
    """Unions, members, ledger, workers and open applications; returns (card token, staff cookie)."""
    setup_django(ENV)
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.utils import timezone

    from apps.accounts.models import Occupation
    from apps.accounts.services import role_permissions_sync, user_role_add
    from apps.core.models import Organization, Town, UnionStaff
    from apps.membership.models import Application, LedgerEntry, Member, Route
    from apps.membership.services import card_token

    role_permissions_sync()
    User = get_user_model()
    towns = [Town.objects.get_or_create(name=f"压测镇{i}")[0] for i in range(26)]
    city = Organization.objects.create(name="压测市总工会", kind="union", union_level="city")
    town_unions = Organization.objects.bulk_create(
        [
            Organization(name=f"压测镇{i}总工会", kind="union", union_level="town", town=t, parent=city)
            for i, t in enumerate(towns)
        ]
    )
    grassroots = Organization.objects.bulk_create(
        [
            Organization(name=f"压测企业{i}工会", kind="union", union_level="grassroots", parent=town_unions[i % 26])
            for i in range(273)
        ]
    )
    unions = town_unions + grassroots
    occupations = Occupation.values
    today = timezone.localdate()
    members = [
        Member(
            real_name=f"会员{i}",
            phone=f"150{i:08d}",
            union=unions[i % len(unions)],
            number=f"XH-{2000 + i % 26}-{i:06d}",
            since=today - datetime.timedelta(days=i % 9000),
            occupation=occupations[i % len(occupations)],
            town=towns[i % 26],
        )
        for i in range(N_MEMBERS)
    ]
    Member.objects.bulk_create(members, batch_size=5000)
    ids = list(Member.objects.values_list("pk", "union_id"))
    now = timezone.now()
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(member_id=pk, kind="imported", to_union_id=union_id, at=now) for pk, union_id in ids],
        batch_size=5000,
    )
    workers = User.objects.bulk_create(
        [
            User(username=f"bench-w{i}", real_name=f"职工{i}", phone=f"186{i:08d}", phone_verified=True)
            for i in range(20000)
        ],
        batch_size=5000,
    )
    target = unions[0]
    rows = []
    for i, worker in enumerate(workers[:2000]):
        union = target if i < 1000 else unions[1 + i % (len(unions) - 1)]
        submitted = now - datetime.timedelta(hours=i % 200)
        rows.append(
            Application(
                person=worker,
                real_name=worker.real_name,
                employer_name="压测网点",
                occupation="courier",
                town=towns[0],
                consent_at=submitted,
                union=union,
                route=Route.TOWN,
                route_reason="压测",
                submitted_at=submitted,
                due_on=today + datetime.timedelta(days=i % 7 - 3),
            )
        )
    Application.objects.bulk_create(rows, batch_size=2000)
    staff = User.objects.create_user("bench-staff", password="bench-pass-1234", real_name="压测干事")
    user_role_add(user=staff, role="union_staff")
    UnionStaff.objects.create(union=target, user=staff)
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(staff.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    session.save()
    member = Member.objects.order_by("-pk")[N_MEMBERS // 2]
    return card_token(member), f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main():
    print(f"membership bench: 300 unions, {N_MEMBERS} members, 2000 open applications, db {DB_URL.split(':')[0]}")
    reset_database(DB_URL)
    manage(ENV, "migrate", "--noinput")
    manage(ENV, "collectstatic", "--noinput")
    token, cookie = seed()
    urls = {
        "verify (valid card)": (f"/members/verify/{token}/", ""),
        "verify (forged token)": (f"/members/verify/{token[:-4]}abcd/", ""),
        "queue page 1": ("/membership/queue/", cookie),
        "queue page 10": ("/membership/queue/?page=10", cookie),
        "member list": ("/membership/members/", cookie),
        "member search": ("/membership/members/?q=%E4%BC%9A%E5%91%98123", cookie),
    }
    missed = []
    with gunicorn(ENV, PORT, WORKERS) as base:
        wait_up(base + urls["verify (forged token)"][0])
        page = urllib.request.urlopen(request(base + urls["verify (valid card)"][0]), timeout=10).read().decode()
        if 'data-valid="true"' not in page:
            raise SystemExit("the card token did not verify")
        print(f"{'url':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'goal':>8}")
        for label, (path, cookie_header) in urls.items():
            rps, p95, p50 = measure(base + path, N_REQUESTS, cookie_header)
            goal = GOALS.get(label)
            print(f"{label:<24}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}{(str(goal) if goal else '—'):>8}")
            if goal and p95 >= goal:
                missed.append(label)
    if missed:
        print("missed: " + ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
