from functools import cache

from django.conf import settings
from django.urls import reverse

from .registry import nav_links


@cache
def _site_urls() -> dict:
    """URLs every page links to, reversed once per process (no per-page ``{% url %}`` work)."""
    return {
        "home": reverse("home"),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "language": reverse("language"),
    }


@cache
def _languages() -> tuple[dict, ...]:
    return tuple({"code": code, "name": name} for code, name in settings.LANGUAGES)


def site(request):
    """Site name, the navigation this visitor may use (with the current section marked) and the
    links of the header and footer, for the base template."""
    found = getattr(request, "_site_context", None)
    if found is not None:
        return found  # a page that renders several templates works the navigation out once
    user = getattr(request, "user", None)
    links = nav_links(user)
    section = request.path[:4]
    for link in links:
        link["current"] = link["url"] != "/" and link["url"][:4] == section
    found = {
        "SITE_NAME": settings.SITE_NAME,
        "nav_links": links,
        "nav_tiles": [link for link in links if link["tile"]],
        "site_urls": _site_urls(),
        "site_languages": _languages(),
    }
    request._site_context = found
    return found


def demo_notice(request):
    """``demo_loaded`` for the site-wide notice, answered from the database: some record made by
    ``load_demo`` (a model with the core ``DemoMixin``, ``is_demo`` set) still exists.

    The answer is kept in the cache under the page generation (one cache read per page, one
    query after a public write); deleting the demo records removes the notice.
    """
    from .registry import demo_present

    return {"demo_loaded": demo_present()}
