"""The app contract: the one way a product app plugs into the portal.

A product app's ``AppConfig`` subclasses :class:`PortalAppConfig` and overrides the hooks it
needs; every hook has an empty default. Only ``apps/core/registry.py`` reads the hooks, and
product apps never import each other to connect: the dashboard, ten-things' linked
indicators, the navigation, ``/me/``, the home page, the sitemap, the roles and
``load_demo`` all go through the registry.

The smallest complete app (see README, "Adding an app")::

    class LibraryConfig(PortalAppConfig):
        name = "apps.library"
        verbose_name = _("职工书屋")

        def nav_links(self):
            return [NavLink(_("职工书屋"), "library:list", order=50, icon="书")]

        def roles(self):
            return [Role("librarian", _("书屋管理员"), permissions=("library.change_book",))]

        def dashboard_figures(self, year):
            from .selectors import loans_in_year
            loans = Figure("loans", _("借阅人次"), loans_in_year(year), _("人次"))
            return FigureGroup("library", _("职工书屋"), (loans,))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.apps import AppConfig

Number = int | Decimal | float


@dataclass(frozen=True)
class NavLink:
    """A link in the header navigation (and a home tile when ``tile``).

    ``role`` is None for everyone, or a role name (``"leader"``), a tuple of role names (any of
    them), or a permission (``"tenthings.verify_progressreport"``) that the visitor must hold to
    see it. Prefer role names: a permission costs two queries on every signed-in page.
    ``badge(user)`` may return a count shown beside the label (None or 0: no badge).
    """

    label: Any
    url_name: str
    order: int = 100
    icon: str = ""
    role: str | tuple[str, ...] | None = None
    tile: bool = True
    badge: Callable[[Any], int | None] | None = None


@dataclass(frozen=True)
class Role:
    """A role an app owns: a group whose permissions are exactly these (plus other apps' grants).

    ``staff`` roles work in the Django admin (their members get ``is_staff``).
    ``landing`` is the URL name where members arrive after signing in (the first role a
    person holds, in declared order, that has one wins; otherwise ``/me/``).
    """

    name: str
    label: Any
    permissions: tuple[str, ...] = ()
    staff: bool = False
    landing: str | None = None


# The outside channels a reminder may take besides the in-site inbox, in the default order.
REMINDER_CHANNELS = ("wechat", "sms", "email")


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder the app sends; people choose its channels per kind in ``/me/``.

    ``channels``: the outside channels it may use besides the inbox (always), a subset of
    :data:`REMINDER_CHANNELS`; SMS only for kinds that matter (a place offered, an appointment
    tomorrow, a decision on a request, a lawyer's callback, a legal deadline). ``roles``: who can
    receive it (any of these roles; empty: everyone), so ``/me/`` offers only the kinds a person
    can get.
    """

    key: str
    label: Any
    channels: tuple[str, ...] = ("wechat", "email")
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Panel:
    """A block an app renders on a shared page (the home page or ``/me/``)."""

    template: str
    context: Mapping[str, Any]
    order: int = 100


@dataclass(frozen=True)
class Figure:
    """One number on the leaders' dashboard and in its Excel export.

    ``definition`` says exactly what is counted and is shown where the number is.
    ``status`` is "" (neutral), "ok", "warn" or "bad".
    """

    key: str
    label: Any
    value: Number | None
    unit: Any = ""
    target: Number | None = None
    link: str = ""
    status: str = ""
    definition: Any = ""

    @property
    def percent(self) -> int | None:
        """Value against target in whole percent (capped at 100), or None without a target."""
        if self.target in (None, 0) or self.value is None:
            return None
        return min(100, int(Decimal(str(self.value)) * 100 / Decimal(str(self.target))))


@dataclass(frozen=True)
class FigureGroup:
    """An app's block of figures for one year on the dashboard (one sheet row group in Excel)."""

    key: str
    title: Any
    figures: tuple[Figure, ...]
    order: int = 100
    # Optional breakdowns shown as small tables: (title, [(label, value), ...]).
    tables: tuple[tuple[Any, tuple[tuple[Any, Number], ...]], ...] = ()


@dataclass(frozen=True)
class Metric:
    """A yearly number a ten-things indicator can take as its actual value (a linked metric)."""

    key: str
    label: Any
    unit: Any
    compute: Callable[[int], Number]


@dataclass(frozen=True)
class Consent:
    """A consent a person gave (PIPL: separate consent for sensitive data) and may withdraw.

    ``consequence`` is said before the person confirms: what stops, what is deleted."""

    key: str
    label: Any
    given_at: Any
    consequence: Any


@dataclass(frozen=True)
class PersonFact:
    """A fact an app knows of a person, declared so that eligibility rules can name it.

    ``key`` is global ("member", "union_id", "occupation_group", "new_form_worker",
    "served:benefits:2026" …); ``label`` says what it means to staff writing a rule.
    """

    key: str
    label: Any


class PortalAppConfig(AppConfig):
    """Base of every portal app's AppConfig. Override the hooks you need; all default to none."""

    # Django picks the AppConfig of an apps.py by looking at the classes it holds; this base is
    # imported there too, so it says it is not a default and every subclass says it is.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = True

    def nav_links(self) -> Iterable[NavLink]:
        return ()

    def roles(self) -> Iterable[Role]:
        return ()

    def role_grants(self) -> Mapping[str, Iterable[str]]:
        """Permissions of this app given to roles that other apps own: ``{"leader": [...]}``."""
        return {}

    def reminder_kinds(self) -> Iterable[ReminderKind]:
        return ()

    def home_panel(self, request) -> Panel | None:
        """A block on the home page. It must look the same for every visitor: the home page
        builds the panels' HTML once per page-cache generation, language and day and shows it
        to everyone (so: no user, no token, no per-request data in it)."""
        return None

    def me_panel(self, request) -> Panel | None:
        return None

    def dashboard_figures(self, year: int) -> FigureGroup | None:
        return None

    def metrics(self) -> Iterable[Metric]:
        return ()

    def metric_targets(self, year: int) -> Mapping[str, Number]:
        """Targets of linked metrics in that year's plan: ``{metric_key: target}`` (the app that
        owns the yearly plan answers; others return nothing)."""
        return {}

    def person_fact_kinds(self) -> Iterable[PersonFact]:
        """The facts ``person_facts`` may return, with what each means."""
        return ()

    def person_facts(self, user) -> Mapping[str, Any]:
        """What this app knows of a person: ``{fact_key: value}`` for the facts it declares.
        Read only through ``registry.person_facts(user)``, so an eligibility rule in one app
        never imports another."""
        return {}

    def personal_data(self, user) -> Mapping[str, Any]:
        """What this app holds about a person, for their own download at ``/me/data/``:
        ``{section title: [row dicts]}`` of plain values (PIPL: the right to a copy)."""
        return {}

    def personal_data_erase(self, user) -> None:
        """A person closed their account: anonymise what this app holds about them. Records that
        figures rest on stay (counts do not move) but no longer name or reach the person; nothing
        is hard-deleted that a figure, a case or an audit line needs."""
        return None

    def consents(self, user) -> Iterable[Consent]:
        """The consents this person has given in this app and may withdraw at ``/me/consents/``
        (PIPL): each says what it allowed and what stops if it is withdrawn."""
        return ()

    def consent_withdraw(self, user, key: str) -> None:
        """Withdraw one of this person's consents (a key from :meth:`consents`): what needed it
        stops at once (data collected under it deleted, an enrolment that needed it cancelled).
        Raise ``LookupError`` for a key the person has not given."""
        raise LookupError(key)

    def api_router(self):
        """A django-ninja ``Router`` of this app's endpoints, mounted by core under
        ``/api/v1/<app label>/`` (None: the app has no API). By default the ``router`` of the
        app's ``api`` module, if it has one."""
        from importlib.util import find_spec

        if find_spec(f"{self.name}.api") is None:
            return None
        return import_module(f"{self.name}.api").router

    # The anonymous page cache (apps/core/pagecache.py): URL names of this app's pages that look
    # the same for every visitor who is not signed in, and the models ("app_label.Model") whose
    # writes change what any public page shows (a write bumps the cache of every public page).
    public_pages: tuple[str, ...] = ()
    public_models: tuple[str, ...] = ()

    # Most apps keep these in modules of their own: name them, and the default hooks below use them.
    sitemaps_module: str | None = None  # e.g. "sitemaps": a module with ``sitemaps = {name: Sitemap}``
    demo_module: str | None = None  # e.g. "demo": a module with ``load(stdout)``

    def sitemaps(self) -> Mapping[str, type]:
        if self.sitemaps_module is None:
            return {}
        return import_module(f"{self.name}.{self.sitemaps_module}").sitemaps

    def has_demo(self) -> bool:
        return self.demo_module is not None or type(self).demo_load is not PortalAppConfig.demo_load

    def demo_load(self, stdout) -> None:
        """Load this app's demo data (idempotent); called by ``load_demo`` in app order."""
        if self.demo_module is not None:
            import_module(f"{self.name}.{self.demo_module}").load(stdout)
