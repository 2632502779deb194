"""Latency of /innovation/ and the officer's ranking: python bench/bench_innovation.py

Builds its own database (SQLite file under /tmp, or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/bench_innovation), fills it with 10 campaigns × 500 projects
× 5 submitted reviews each (awarded projects and awards for the showcase), computes the
rankings, starts gunicorn on a loopback port with the production settings, fires a bounded
number of requests per URL (the ranking as a signed-in innovation officer), prints requests/s
and p95, and stops the server.
Env: BENCH_CAMPAIGNS (10), BENCH_PROJECTS (500), BENCH_REQUESTS (100 per URL), BENCH_PORT (8767),
BENCH_WORKERS (2).
"""

import os
import sys
from decimal import Decimal

from harness import bench_env, gunicorn, manage, measure, reset_database, setup_django, wait_up

N_CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", "10"))
N_PROJECTS = int(os.environ.get("BENCH_PROJECTS", "500"))
N_REVIEWS = 5
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
PORT = int(os.environ.get("BENCH_PORT", "8767"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
TARGET_P95_MS = 300
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_innovation.sqlite3")
ENV = bench_env("innovation", DB_URL)


def seed():
    """Campaigns of past years with projects, five submitted reviews each, rankings and awards."""
    setup_django(ENV)
    import datetime

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from apps.accounts.services import role_permissions_sync, user_role_add
    from apps.core.models import Organization
    from apps.innovation import services
    from apps.innovation.models import (
        Award,
        AwardLevel,
        Category,
        Phase,
        Project,
        Review,
        ReviewAssignment,
        ReviewerProfile,
        TeamMember,
    )

    role_permissions_sync()
    User = get_user_model()
    officer = User.objects.create_user("bench_officer", password="bench-pass-1234")
    user_role_add(user=officer, role="innovation_officer")
    employers = [Organization.objects.create(name=f"压测企业{i}") for i in range(20)]
    categories = [Category.objects.create(code=f"bench-{i}", name=f"类别{i}", sort_order=i) for i in range(8)]
    reviewers = []
    for i in range(N_REVIEWS * 4):
        user = User.objects.create_user(f"bench_reviewer{i}", password="bench-pass-1234")
        ReviewerProfile.objects.create(user=user, employer=employers[i % len(employers)], max_load=10_000)
        reviewers.append(user)
    last = None
    for c in range(N_CAMPAIGNS):
        year = 2014 + c
        campaign = services.campaign_create(
            year=year,
            name=f"{year}年压测活动",
            entry_opens=datetime.date(year, 3, 1),
            entry_closes=datetime.date(year, 6, 30),
            categories=categories,
        )
        projects = Project.objects.bulk_create(
            [
                Project(
                    campaign=campaign,
                    category=categories[i % len(categories)],
                    title=f"{year}压测项目{i}",
                    employer=employers[i % len(employers)],
                    money_saved=Decimal(i % 50),
                    status=Project.Status.UNDER_REVIEW,
                    is_confidential=i % 17 == 0,
                )
                for i in range(N_PROJECTS)
            ],
            batch_size=500,
        )
        TeamMember.objects.bulk_create(
            [TeamMember(project=p, name=f"完成人{p.pk}", share=100, role="first") for p in projects], batch_size=1000
        )
        assignments, reviews = [], []
        for i, project in enumerate(projects):
            chosen = [r for r in reviewers if r.reviewer_profile.employer_id != project.employer_id][:N_REVIEWS]
            for k, reviewer in enumerate(chosen):
                assignments.append(ReviewAssignment(project=project, reviewer=reviewer, phase=Phase.EXPERT_REVIEW))
                reviews.append(
                    Review(
                        project=project,
                        reviewer=reviewer,
                        phase=Phase.EXPERT_REVIEW,
                        status=Review.Status.SUBMITTED,
                        weighted_total=Decimal(f"{5 + (i * 7 + k * 3) % 50 / 10:.2f}"),
                        locked=True,
                    )
                )
        ReviewAssignment.objects.bulk_create(assignments, batch_size=2000)
        Review.objects.bulk_create(reviews, batch_size=2000)
        services.ranking_compute(campaign=campaign)
        winners = projects[:40]
        Project.objects.filter(pk__in=[p.pk for p in winners]).update(status=Project.Status.AWARDED)
        Award.objects.bulk_create(
            [Award(kind=Award.Kind.CITY, level=AwardLevel.THIRD, year=year, project=p) for p in winners]
        )
        last = campaign
    session = SessionStore()
    session["_auth_user_id"] = str(officer.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = officer.get_session_auth_hash()
    session.create()
    return last.pk, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main():
    print(
        f"innovation bench: {N_CAMPAIGNS} campaigns × {N_PROJECTS} projects × {N_REVIEWS} reviews, "
        f"{N_REQUESTS} requests per URL, db {DB_URL.split(':')[0]}"
    )
    reset_database(DB_URL)
    manage(ENV, "migrate", "--noinput")
    manage(ENV, "collectstatic", "--noinput")
    campaign_id, cookie = seed()
    urls = {
        "/innovation/": ("/innovation/", ""),
        f"ranking ({N_PROJECTS} projects)": (f"/innovation/manage/{campaign_id}/ranking/", cookie),
    }
    failed = False
    with gunicorn(ENV, PORT, WORKERS) as base:
        wait_up(base + "/innovation/")
        print(f"{'url':<26}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
        for label, (path, cookie_header) in urls.items():
            rps, p95, p50 = measure(base + path, N_REQUESTS, cookie_header)
            ok = p95 < TARGET_P95_MS
            failed |= not ok
            flag = f"  ok (< {TARGET_P95_MS} ms)" if ok else "  OVER TARGET"
            print(f"{label:<26}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}{flag}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
