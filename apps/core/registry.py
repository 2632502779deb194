"""The only reader of the app contract (``apps/core/contract.py``).

Shared pages, the dashboard, ten-things' linked indicators, role sync, reminder kinds,
the sitemap and ``load_demo`` ask this module; none of them looks at another app directly.
"""

from __future__ import annotations

import time
from decimal import Decimal
from functools import cache, partial

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .contract import FigureGroup, Metric, NavLink, PersonFact, PortalAppConfig, Role
from .personal import kept


def portal_apps() -> list[PortalAppConfig]:
    """Installed portal apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, PortalAppConfig)]


# --- Navigation ----------------------------------------------------------------------------


@cache
def _resolved_links() -> tuple[tuple[NavLink, str, str], ...]:
    found = []
    for config in portal_apps():
        for link in config.nav_links():
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            found.append((link, url, config.label))
    return tuple(sorted(found, key=lambda entry: entry[0].order))


def user_holds(user, role_or_perm: str | tuple[str, ...] | None) -> bool:
    """True when the user holds the role (group name) or permission (``app.codename``), or any
    of several roles (a tuple: no permission query, the person's role names are read once)."""
    if role_or_perm is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if isinstance(role_or_perm, tuple | list | frozenset | set):
        return any(user_holds(user, name) for name in role_or_perm)
    if "." in role_or_perm:
        return user.has_perm(role_or_perm)
    return role_or_perm in user.role_names


# How old a navigation badge (a queue's count) may be when its person did nothing meanwhile.
NAV_BADGE_SECONDS = 30


def nav_links(user=None) -> list[dict]:
    """The header links this visitor may use, with their badge counts, in declared order."""
    links = []
    for link, url, app_label in _resolved_links():
        if link.role is not None and (user is None or not user_holds(user, link.role)):
            continue
        badge = None
        if link.badge is not None and user is not None:
            # A queue's count, kept with the person for half a minute (or until they act: a POST).
            badge = kept(user, f"nav-badge:{link.url_name}", partial(link.badge, user), seconds=NAV_BADGE_SECONDS)
        links.append(
            {
                "order": link.order,
                "label": link.label,
                "url": url,
                "icon": link.icon,
                "app": app_label,
                "tile": link.tile and link.role is None,
                "mine": link.role is not None,
                "badge": badge or None,
            }
        )
    return links


# --- Panels --------------------------------------------------------------------------------


def panels(hook: str, request) -> list[dict]:
    """The panels (``home_panel`` / ``me_panel``) that apps render on a shared page, in order."""
    if hook not in ("home_panel", "me_panel"):
        raise ValueError(hook)
    found = []
    for config in portal_apps():
        panel = getattr(config, hook)(request)
        if panel is not None:
            found.append({"template": panel.template, "context": panel.context, "order": panel.order})
    return sorted(found, key=lambda panel: panel["order"])


# --- Roles ---------------------------------------------------------------------------------


@cache
def roles() -> dict[str, Role]:
    """Every declared role by name. Two apps declaring one name is a programming error."""
    found: dict[str, Role] = {}
    for config in portal_apps():
        for role in config.roles():
            if role.name in found:
                raise ValueError(f"role {role.name!r} is declared twice")
            found[role.name] = role
    return found


def role_permissions() -> dict[str, set[str]]:
    """role -> every permission the owning app declares plus the grants of other apps."""
    merged = {name: set(role.permissions) for name, role in roles().items()}
    for config in portal_apps():
        for name, perms in config.role_grants().items():
            if name not in merged:
                raise ValueError(f"{config.label} grants permissions to unknown role {name!r}")
            merged[name].update(perms)
    return merged


def landing_url(user) -> str | None:
    """Where a person arrives after signing in: the landing page of the first role they hold."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None  # a superuser holds every role: /me/ lists what is theirs
    for role in roles().values():
        if role.landing and role.name in user.role_names:
            try:
                return reverse(role.landing)
            except NoReverseMatch:
                continue
    return None


def role_label(name: str):
    role = roles().get(name)
    return role.label if role else name


# --- Reminder kinds -----------------------------------------------------------------------


@cache
def reminder_kinds() -> dict[str, object]:
    """kind key -> label, from every app's declarations."""
    found = {}
    for config in portal_apps():
        for kind in config.reminder_kinds():
            found[kind.key] = kind.label
    return found


@cache
def reminder_kind_declarations() -> dict[str, object]:
    """kind key -> its ``ReminderKind`` (channels, roles), from every app's declarations."""
    return {kind.key: kind for config in portal_apps() for kind in config.reminder_kinds()}


# --- Dashboard and linked metrics ---------------------------------------------------------


# Figures count records of every kind, not only public ones (whose writes move the page generation):
# kept at most this long after they were computed.
DASHBOARD_FIGURES_SECONDS = 60


def _evaluated(value):
    """``value`` with every lazy translation in it (dataclass fields, tuples, lists) made text."""
    import dataclasses

    from django.utils.functional import Promise

    if isinstance(value, Promise):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _evaluated(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **fields)
    if isinstance(value, tuple | list):
        return type(value)(_evaluated(item) for item in value)
    return value


def dashboard_figures(year: int) -> list[FigureGroup]:
    """Every app's figures for a year, in declared order.

    The same for every leader: a shared fragment (apps/core/pagecache.py) per year, language and
    day, rebuilt after a public write and at most ``DASHBOARD_FIGURES_SECONDS`` after the last build."""
    from django.utils import timezone
    from django.utils.translation import get_language

    from .pagecache import public_fragment

    def build():
        groups = [group for config in portal_apps() if (group := config.dashboard_figures(year)) is not None]
        # Labels as text in this language: a lazy translation costs a class to unpickle.
        return [_evaluated(group) for group in sorted(groups, key=lambda group: group.order)]

    name = f"dashboard-figures:{year}:{get_language()}:{timezone.localdate()}"
    return public_fragment(name, build, seconds=DASHBOARD_FIGURES_SECONDS)


@cache
def metrics() -> dict[str, Metric]:
    found: dict[str, Metric] = {}
    for config in portal_apps():
        for metric in config.metrics():
            if metric.key in found:
                raise ValueError(f"metric {metric.key!r} is declared twice")
            found[metric.key] = metric
    return found


def metric_get(key: str) -> Metric | None:
    return metrics().get(key)


def metric_value(key: str, year: int) -> Decimal | None:
    """A linked metric's value for a year, or None if no installed app offers it."""
    metric = metrics().get(key)
    if metric is None:
        return None
    return Decimal(str(metric.compute(year)))


_TARGETS_MEMO: dict = {}


def metric_targets(year: int) -> dict[str, Decimal]:
    """Every linked metric's target in that year's plan (metrics no indicator links: absent).

    Several apps ask on one dashboard: the answer is kept in the process for the page-cache
    generation (a plan change is a public write, which moves it) and ``PAGE_CACHE_SECONDS``."""
    from django.conf import settings
    from django.core.cache import caches

    current = _current_generation(caches)
    kept = _TARGETS_MEMO.get(year)
    if kept and kept[0] == current and time.monotonic() - kept[1] < settings.PAGE_CACHE_SECONDS:
        return dict(kept[2])
    found: dict[str, Decimal] = {}
    for config in portal_apps():
        for key, target in config.metric_targets(year).items():
            if target is not None:
                found[key] = Decimal(str(target))
    _TARGETS_MEMO[year] = (current, time.monotonic(), found)
    return dict(found)


def metric_target(key: str, year: int) -> Decimal | None:
    """The target of linked metric ``key`` in ``year``, answered from that year's plan.

    The one way to ask for a target: no app keeps its own target constants. None when that
    year's plan has no indicator linked to the metric (the figure then shows no target).
    """
    return metric_targets(year).get(key)


def metric_choices() -> list[tuple[str, str]]:
    """(key, label) pairs for a select, sorted by label."""
    return sorted(((m.key, f"{m.label}（{m.unit}）") for m in metrics().values()), key=lambda choice: choice[1])


# --- Consents --------------------------------------------------------------------------------


def consents(user) -> list[tuple[str, object]]:
    """(app label, Consent) for every consent this person has given, from every app."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [(config.label, consent) for config in portal_apps() for consent in config.consents(user)]


def consent_withdraw(user, app_label: str, key: str):
    """Withdraw one consent; ``LookupError`` when the person has not given it (a guessed key)."""
    for config in portal_apps():
        if config.label == app_label:
            found = next((c for c in config.consents(user) if c.key == key), None)
            if found is None:
                raise LookupError(key)
            config.consent_withdraw(user, key)
            return found
    raise LookupError(app_label)


# --- Person facts --------------------------------------------------------------------------

# The facts only the person declares, on their profile (accounts answers them).
PROFILE_FACTS = ("sex", "birth_date", "age", "occupation")


@cache
def person_fact_kinds() -> dict[str, PersonFact]:
    """Every declared person fact by key. Two apps declaring one key is a programming error."""
    found: dict[str, PersonFact] = {}
    for config in portal_apps():
        for fact in config.person_fact_kinds():
            if fact.key in found:
                raise ValueError(f"person fact {fact.key!r} is declared twice")
            found[fact.key] = fact
    return found


def person_facts(user) -> dict:
    """What the portal knows of a person, from every app (kept on the user object for the
    request, so several rules checked in one request ask each app once)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    memo = getattr(user, "_person_facts", None)
    if memo is None:
        memo = {}
        for config in portal_apps():
            memo.update(config.person_facts(user))
        user._person_facts = memo
    return memo


def person_fact(user, key: str, default=None):
    """One fact of a person (``default`` when no app knows it)."""
    return person_facts(user).get(key, default)


# --- Personal information over its life (PIPL) ----------------------------------------------


def personal_data(user) -> dict[str, dict]:
    """Everything the portal holds about a person, by app: ``{app label: {section: rows}}``."""
    found = {}
    for config in portal_apps():
        data = config.personal_data(user)
        if data:
            found[config.label] = {str(section): rows for section, rows in data.items()}
    return found


def personal_data_erase(user) -> None:
    """Every app anonymises what it holds about a person who closed their account."""
    for config in portal_apps():
        config.personal_data_erase(user)


# --- API routers ---------------------------------------------------------------------------


def api_routers() -> list[tuple[str, object]]:
    """(app label, ninja Router) of every app that has an API, in INSTALLED_APPS order."""
    return [(config.label, router) for config in portal_apps() if (router := config.api_router()) is not None]


# --- Sitemaps and demo data ---------------------------------------------------------------


def sitemaps() -> dict[str, type]:
    found: dict[str, type] = {}
    for config in portal_apps():
        found.update(config.sitemaps())
    return found


def public_pages() -> list[str]:
    """URL names of pages the anonymous page cache may store, from every app."""
    return [name for config in portal_apps() for name in config.public_pages]


def public_models() -> list[str]:
    """Models ("app_label.Model") whose writes make cached public pages stale, from every app."""
    return sorted({label for config in portal_apps() for label in config.public_models})


@cache
def demo_models() -> tuple[type, ...]:
    """Every concrete model that carries the one demo marker (the core ``DemoMixin``)."""
    from .models import DemoMixin

    return tuple(model for model in apps.get_models() if issubclass(model, DemoMixin) and not model._meta.proxy)


def _demo_rows_exist() -> bool:
    from django.db import connection

    quote = connection.ops.quote_name
    tests = [f"EXISTS (SELECT 1 FROM {quote(m._meta.db_table)} WHERE {quote('is_demo')})" for m in demo_models()]
    if not tests:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN {' OR '.join(tests)} THEN 1 ELSE 0 END")
        return bool(cursor.fetchone()[0])


# The answer, kept in this process for the page generation it was computed under.
_DEMO_MEMO: dict = {}


def forget_kept_answers() -> None:
    """Drop what this process keeps per generation (targets, the demo answer): tests call it,
    where transactions roll back without moving the generation."""
    _TARGETS_MEMO.clear()
    _DEMO_MEMO.clear()


def demo_changed(value: bool | None = None) -> None:
    """Forget (or, with ``value``, set) this process's answer: ``load_demo`` calls it when done."""
    _DEMO_MEMO.clear()
    if value is not None:
        from django.core.cache import caches

        _DEMO_MEMO.update(generation=_current_generation(caches), value=value, at=time.monotonic())


def _current_generation(caches=None):
    """The page-cache generation as stored (the one scheme, apps/core/pagecache.py), without
    starting one: None while the cache holds none, so a cleared cache costs no recomputation."""
    from .cache import generation_key
    from .pagecache import GENERATION, _cache

    return _cache().get(generation_key(GENERATION))


def demo_present() -> bool:
    """True while any record made by ``load_demo`` exists: the site-wide demo notice asks this.

    One cache read per page: the answer is kept in the process for the page-cache generation it
    was computed under (bumped by every public write, ``load_demo`` included) and at most
    ``PAGE_CACHE_SECONDS``; a new generation costs one query, not one per page.
    """
    from django.conf import settings
    from django.core.cache import caches

    current = _current_generation(caches)
    memo = _DEMO_MEMO
    if memo and memo["generation"] == current and time.monotonic() - memo["at"] < settings.PAGE_CACHE_SECONDS:
        return memo["value"]
    value = _demo_rows_exist()
    memo.update(generation=current, value=value, at=time.monotonic())
    return value


def demo_apps() -> list[PortalAppConfig]:
    """Apps that load demo data, in INSTALLED_APPS order (core and accounts first)."""
    return [config for config in portal_apps() if config.has_demo()]
