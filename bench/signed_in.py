"""The signed-in pages the benches load and who opens each (the demo people of ``load_demo``).

Two tiers, as issue 28 sets them:

- first tier: the pages a worker opens while signed in (home, news, ten things, stations,
  legal aid, innovation, activities, ``/me/`` and the inbox), p95 < 50 ms on the demo data
  (< 100 ms at large scale) and at least 10 % of the bare-Django ceiling;
- queues: each role's work list and the dashboard, p95 < 100 ms (< 200 ms at large scale),
  plus ``/me/`` as each role's person sees it.

Needs Django set up over a database with the demo data.
"""

from __future__ import annotations

WORKER = "worker"  # 刘师傅: a plain worker with notifications

# (path, demo user name, role the queue belongs to)
QUEUES = [
    ("/ten-things/review/", "verifier", "tenthings_verifier"),
    ("/ten-things/mine/", "reporter", "tenthings_reporter"),
    ("/legal/triage/", "legalofficer", "legal_officer"),
    ("/legal/duty/", "lawyer", "lawyer"),
    ("/legal/mediation/", "mediator", "mediator"),
    ("/stations/keeper/", "keeper", "station_keeper"),
    ("/innovation/reviews/", "reviewer", "reviewer"),
    ("/innovation/manage/", "innovofficer", "innovation_officer"),
    ("/innovation/endorse/", "entunion", "enterprise_union"),
    ("/membership/queue/", "moffice", "membership_officer"),
    ("/membership/members/", "dainan", "union_staff"),
    ("/activities/manage/", "organiser", "activity_organiser"),
    ("/dashboard/", "leader", "leader"),
]

# Targets (p95 ms) by tier and scale.
P95_TARGETS = {"first": {"default": 50, "large": 100}, "queue": {"default": 100, "large": 200}}
MIN_SHARE = 10.0  # % of the ceiling every first-tier page must reach


def _demo_ids() -> dict:
    from apps.news.models import Article
    from apps.stations.models import Station
    from apps.tenthings.models import Item

    article = Article.objects.published().order_by("-published_at", "-id").first()
    station = Station.objects.public().order_by("pk").first()
    item = Item.objects.filter(plan__published=True).order_by("-plan__year", "number").first()
    if article is None or station is None or item is None:
        raise SystemExit("no published article, public station or ten-things item: did load_demo run?")
    return {"article": article.pk, "station": station.pk, "year": item.plan.year, "item": item.number}


def first_tier_pages() -> list[tuple[str, str]]:
    """(path, user name): the pages a worker opens while signed in."""
    from django.urls import NoReverseMatch, reverse

    ids = _demo_ids()
    pages = [
        "/",
        "/news/",
        f"/news/{ids['article']}/",
        "/ten-things/",
        f"/ten-things/{ids['year']}/",
        f"/ten-things/{ids['year']}/{ids['item']}/",
        "/stations/",
        f"/stations/{ids['station']}/",
        "/legal/",
        "/innovation/",
    ]
    for name in ("activities:list", "benefits:index", "benefits:list"):
        try:
            pages.append(reverse(name))
        except NoReverseMatch:
            continue
    pages += ["/me/", "/me/notifications/"]
    return [(path, WORKER) for path in dict.fromkeys(pages)]


def role_pages() -> list[tuple[str, str]]:
    """(path, user name): each role's queue, and /me/ as that role's person sees it."""
    from django.urls import Resolver404, resolve

    from apps.accounts.models import User

    present = set(User.objects.filter(username__in=[who for _p, who, _r in QUEUES]).values_list("username", flat=True))
    pages = []
    for path, who, _role in QUEUES:
        try:
            resolve(path)
        except Resolver404:
            continue
        if who in present:
            pages += [(path, who), ("/me/", who)]
    return pages


def session_cookie(username: str) -> str:
    """The Cookie header of a browser signed in as ``username``: a fresh session (as force_login
    makes it) and the CSRF cookie a browser has after its first page with a form."""
    from django.conf import settings
    from django.test import Client

    from apps.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")  # a host the bench's ALLOWED_HOSTS has
    client.force_login(User.objects.get(username=username))
    client.get("/me/")  # sets the CSRF cookie (the sign-out form)
    names = [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME]
    return "; ".join(f"{name}={client.cookies[name].value}" for name in names if name in client.cookies)
