"""What each app contributes to shared pages, declared on its AppConfig.

`core` knows nothing of the other apps; they announce themselves:

- ``nav_links``: list of ``(order, label, url_name, icon)`` for the header and the home tiles;
- ``home_panel(request)``: ``{"template": ..., "context": {...}, "order": int}`` or None;
- ``me_panel(request)``: the same, for the "my records" page ``/me/``.
"""

from functools import cache

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@cache
def nav_links() -> list[dict]:
    """Header and home-tile links of every installed app, in their declared order."""
    links = []
    for config in apps.get_app_configs():
        for order, label, url_name, icon in getattr(config, "nav_links", []):
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            links.append({"order": order, "label": label, "url": url, "icon": icon, "app": config.label})
    return sorted(links, key=lambda link: link["order"])


def panels(hook: str, request) -> list[dict]:
    """Collect the panels (``home_panel`` / ``me_panel``) that apps render on a shared page."""
    found = []
    for config in apps.get_app_configs():
        method = getattr(config, hook, None)
        if method is None:
            continue
        panel = method(request)
        if panel:
            found.append({"order": 100, **panel})
    return sorted(found, key=lambda panel: panel["order"])
