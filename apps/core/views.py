import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from . import registry
from .http import safe_next
from .pagecache import public_fragment
from .registry import panels

logger = logging.getLogger(__name__)


def home(request):
    """Portal home: service tiles and the panels other apps contribute.

    Home panels are the same for every visitor (the contract says so), so their HTML is built
    once per page-cache generation, language and day and shared by every request, signed in
    or not.
    """

    def build() -> str:
        return "".join(
            render_to_string(panel["template"], {"panel": panel["context"]}, request)
            for panel in panels("home_panel", request)
        )

    name = f"home-panels:{get_language()}:{timezone.localdate().isoformat()}"
    return render(request, "core/home.html", {"panels_html": public_fragment(name, build)})


def language(request):
    """Switch the interface language from a plain link (``?language=en``), back to the page it
    was clicked on (``next``, else the referring page of this site, else the home page).

    The footer offers links rather than Django's POST form so that public pages carry no CSRF
    token and can be cached for every visitor (the links are the same on every page); the
    cookie is the one ``set_language`` sets.
    """
    next_url = safe_next(request, "/", value=request.GET.get("next") or request.META.get("HTTP_REFERER") or "/")
    response = HttpResponseRedirect(next_url)
    code = request.GET.get("language", "")
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    response["Cache-Control"] = "private, no-store"
    return response


def _check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not healthy"
        logger.warning("healthz: database check failed: %s", exc)
        return str(exc.__class__.__name__)
    return None


def _check_broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url or url.startswith("memory://"):
        return None
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as exc:
        logger.warning("healthz: broker check failed: %s", exc)
        return str(exc.__class__.__name__)
    return None


@never_cache
def healthz(request):
    """200 when the database and the broker (if configured) answer; 503 naming what failed."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        body = {"database": "ok" if checks["database"] is None else "error", "broker": "not configured"}
    else:
        body = {name: "ok" if error is None else "error" for name, error in checks.items()}
    failing = [name for name, error in checks.items() if error]
    body["status"] = "ok" if not failing else "error"
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


def admin_login(request):
    """Admin sign-in goes through allauth, so its rate limits cover the admin too."""
    next_url = safe_next(request, reverse("admin:index"), value=request.GET.get("next"))
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            # A plain redirect: shortcuts.redirect would try "?next=word" as a URL name (500).
            return HttpResponseRedirect(next_url)
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def error_404(request, exception):
    return render(request, "404.html", status=404)


def error_403(request, exception):
    """403 names the role the page needs and who grants it (see accounts.roles.role_required)."""
    needed = getattr(exception, "role_or_perm", None)
    context = {"role_label": registry.role_label(needed) if needed and "." not in needed else None}
    context["access_contact"] = settings.ACCESS_CONTACT
    return render(request, "403.html", context, status=403)


def error_500(request):
    return render(request, "500.html", status=500)


# Paths crawlers have no business in: sign-in, personal pages, the API and staff work queues.
# Everything else is the public site (what the sitemap lists), so the rules are "disallow".
ROBOTS_DISALLOW = (
    "/admin/",
    "/accounts/",
    "/_allauth/",
    "/me/",
    "/api/",
    "/i18n/",
    "/dashboard/",
    "/members/verify/",
    "/membership/",
    "/news/*/preview/",
    "/ten-things/mine/",
    "/ten-things/review/",
    "/stations/keeper/",
    "/legal/consultations/",
    "/legal/files/",
    "/legal/triage/",
    "/legal/duty/",
    "/legal/mediation/",
    "/legal/roster/",
    "/legal/ledger/",
    "/legal/cases/",
    "/legal/registrations/",
    "/innovation/submit/",
    "/innovation/mine/",
    "/innovation/endorse/",
    "/innovation/reviews/",
    "/innovation/manage/",
    "/innovation/attachments/",
    "/activities/manage/",
    "/activities/checkin/",
)


def robots_txt(request):
    """``/robots.txt``: the public site open to crawlers, private and staff paths closed, and the
    sitemap index named with ``SITE_URL`` (a public page: the page cache keeps it)."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /", ""]
    lines.append(f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
