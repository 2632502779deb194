"""The benefits allocation at scale: python bench/bench_benefits.py

Builds its own database (SQLite file under /tmp, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_benefits), fills one programme with BENCH_APPLICATIONS
(20,000) applications across three priority groups (bulk rows, as the services would leave them),
then times the officer's allocation preview and the run (the engine's seeded draw: numbers for
all, offers for the places, the rest waiting in draw order), checks the replay gives the same
list, and times the catalogue for a signed-in worker over BENCH_PROGRAMMES (30) programmes,
counting its queries. The run is timed inside a transaction that is rolled back, so the
notification of 20,000 people (a worker's task after the commit; see bench_fanout.py) is left
out. Exits 1 when the run takes 5 s or more.
Env: BENCH_APPLICATIONS (20000), BENCH_PLACES (600), BENCH_PROGRAMMES (30).
"""

import os
import sys
import time

from harness import bench_env, manage, reset_database, setup_django

N_APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "20000"))
N_PLACES = int(os.environ.get("BENCH_PLACES", "600"))
N_PROGRAMMES = int(os.environ.get("BENCH_PROGRAMMES", "30"))
TARGET_S = 5.0
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_benefits.sqlite3")
ENV = bench_env("benefits", DB_URL)


def main() -> int:
    reset_database(DB_URL)
    manage(ENV, "migrate", "--noinput")
    setup_django(ENV)
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.benefits import selectors, services
    from apps.benefits.models import Application, Kind, Programme, Rule
    from apps.core.models import Organization
    from apps.enrolment.models import Enrolment, PriorityGroup, Roster
    from apps.enrolment.services import draw_replay

    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    organiser = Organization.objects.create(name="兴化市总工会职工服务中心", kind=Organization.Kind.UNION)

    def programme(n, places):
        p = Programme(
            year=today.year,
            kind=list(Kind.values)[n % 5],
            name=f"压测项目{n}",
            organiser=organiser,
            service_starts=today,
            service_ends=today + datetime.timedelta(days=60),
            published=True,
        )
        services.programme_save(
            programme=p,
            roster_fields={
                "places": places,
                "opens_at": now - datetime.timedelta(days=10),
                "closes_at": now + datetime.timedelta(days=10),
                "allocation": Roster.Allocation.DRAW,
                "hold_hours": 48,
                "waiting_list": True,
            },
        )
        for order, (test, value) in enumerate([("female", ""), ("age", "18-64"), ("not_served", "2")]):
            Rule.objects.create(programme=p, test=test, value=value, order=order)
        for order, name in enumerate(("特种行业", "一线职工", "女职工")):
            Rule.objects.create(
                programme=p, purpose="priority", name=name, test="occupation", value="factory", order=order
            )
        services.setup.priority_groups_sync(p)
        return p

    big = programme(0, N_PLACES)
    for n in range(1, N_PROGRAMMES):
        programme(n, 100)
    t0 = time.perf_counter()
    User.objects.bulk_create(
        [User(username=f"b{n:06d}", password="!", sex="female") for n in range(N_APPLICATIONS)], batch_size=2000
    )
    people = list(User.objects.filter(username__startswith="b").order_by("pk").values_list("pk", flat=True))
    groups = list(PriorityGroup.objects.filter(roster=big.roster).order_by("order"))
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                roster=big.roster, person_id=pk, state="applied", priority_group=groups[i % 4] if i % 4 < 3 else None
            )
            for i, pk in enumerate(people)
        ],
        batch_size=2000,
    )
    enrolments = dict(Enrolment.objects.filter(roster=big.roster).values_list("person_id", "pk"))
    Application.objects.bulk_create(
        [
            Application(
                programme=big,
                person_id=pk,
                enrolment_id=enrolments[pk],
                reference=f"PH{today.year}-{enrolments[pk]:07d}",
                channel="self",
                consent_at=now,
                health_consent_at=now,
            )
            for pk in people
        ],
        batch_size=2000,
    )
    Roster.objects.filter(pk=big.roster_id).update(
        applied=len(people), opens_at=now - datetime.timedelta(days=20), closes_at=now - datetime.timedelta(minutes=1)
    )
    big.refresh_from_db()
    print(f"filled {len(people)} applications in {time.perf_counter() - t0:.1f} s ({connection.vendor})")

    t0 = time.perf_counter()
    preview = services.allocation_preview(programme=big)
    preview_s = time.perf_counter() - t0
    officer = User.objects.create_user("bench_officer", password="bench-pass-1234")
    from django.db import transaction

    # The run, its replay and its counts inside one transaction that is rolled back: the
    # notification fan-out to 20,000 people (a worker's job after the commit) is bench_fanout's.
    with transaction.atomic():
        t0 = time.perf_counter()
        order = services.allocation_run(programme=big, by=officer)
        run_s = time.perf_counter() - t0
        big.roster.refresh_from_db()
        replayed, same = draw_replay(roster=big.roster)
        offered = Enrolment.objects.filter(roster=big.roster, state="offered").count()
        waiting = Enrolment.objects.filter(roster=big.roster, state="waiting").count()
        seed = big.roster.draw_seed
        transaction.set_rollback(True)
    print(f"preview: {preview.entries} entries, groups {preview.groups}, {preview_s:.2f} s")
    print(f"run: {len(order)} drawn, {offered} offered, {waiting} waiting, {run_s:.2f} s (target < {TARGET_S} s)")
    print(f"replay from seed {seed}: {'same list' if same else 'DIFFERENT'}")

    worker = User.objects.create_user("bench_worker", password="x", sex="female")
    for n in (5, N_PROGRAMMES):
        Programme.objects.filter(name__in=[f"压测项目{i}" for i in range(n, N_PROGRAMMES)]).update(published=False)
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            cards = selectors.catalogue(worker, today.year)
            took = (time.perf_counter() - t0) * 1000
        print(f"catalogue: {len(cards)} programmes, {len(queries)} queries, {took:.1f} ms")
        Programme.objects.update(published=True)
    ok = run_s < TARGET_S and same and offered == N_PLACES
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
