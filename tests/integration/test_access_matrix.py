"""The access matrix on the demo data: every page, file and API operation that names a record by
its number, asked for by someone who has no business with it, answers "not here" — never 200.

Pages and files: every URL pattern of every app with numeric arguments, filled with the numbers of
the first demo rows, fetched anonymously and as a signed-in worker who holds no role and owns
nothing. Only the public pages of the app contract (and the few public files listed below, each
with its reason) may answer 200. The admin: every registered model's change page, for the demo
person of every staff role, is 200 only with that model's view or change permission. The API:
every GET operation with a path parameter, with the stranger's session token, is 200 only for the
public reads.
"""

import io
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.roles import users_holding
from apps.accounts.tests.factories import UserFactory
from apps.core import registry
from tests.api.conftest import TokenClient, session_token_for

pytestmark = pytest.mark.django_db

# Public beyond the contract's public pages, each for a reason.
PUBLIC_NAMES = {
    "benefits:apply": "the application form of a public programme: any signed-in worker may apply",
    "activities:ics": "an activity's calendar file, as public as its page",
    "innovation:publicity": "the year's 公示 of awards",
    "tenthings:year": "a year's public plan page",
    "tenthings:item": "a public ten-things item",
}
NOT_HERE = {302, 401, 403, 404, 405}
NUMBERS = (1, 2, 3)


def _patterns(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name


def _numbered_urls():
    """(url name, path) for every non-admin, non-API pattern whose arguments are all numbers."""
    public = set(registry.public_pages()) | set(PUBLIC_NAMES)
    found = []
    for route, name in _patterns():
        if route.startswith(("admin/", "api/", "_allauth/")) or name in public:
            continue
        arguments = re.findall(r"<(\w+):(\w+)>", route)
        if not arguments or any(kind != "int" for kind, _ in arguments):
            continue
        for number in NUMBERS:
            try:
                found.append((name, reverse(name, kwargs={arg: number for _, arg in arguments})))
            except Exception:  # noqa: BLE001 - a pattern reverse() cannot fill (a regex group)
                continue
    return found


@pytest.mark.slow  # loads the demo data once for the three checks: about two minutes
def test_no_page_file_admin_page_or_api_operation_shows_a_record_to_someone_without_business_with_it():
    call_command("load_demo", stdout=io.StringIO())
    leaks = _page_leaks() + _admin_leaks() + _api_leaks()
    assert leaks == [], "\n".join(leaks)


def _page_leaks() -> list[str]:
    urls = _numbered_urls()
    assert len(urls) > 150, len(urls)
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger-matrix"))
    anonymous = Client()
    leaks = []
    for name, path in urls:
        for who, client in (("anonymous", anonymous), ("stranger", stranger)):
            status = client.get(path).status_code
            if status not in NOT_HERE:
                leaks.append(f"{who} GET {path} ({name}) → {status}")
    return leaks


def _admin_leaks() -> list[str]:
    users = get_user_model().objects
    people = {}
    for name, role in registry.roles().items():
        if role.staff:
            holder = users_holding(name, include_superusers=False).filter(is_staff=True).order_by("pk").first()
            if holder is not None:
                people[name] = holder
    assert len(people) >= 5, people
    leaks = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        row = model_admin.get_queryset(_request(users.filter(is_superuser=True).first())).order_by("pk").first()
        if row is None:
            continue
        path = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
        for name, person in people.items():
            client = Client()
            client.force_login(person)
            status = client.get(path).status_code
            allowed = person.has_perm(f"{meta.app_label}.view_{meta.model_name}") or person.has_perm(
                f"{meta.app_label}.change_{meta.model_name}"
            )
            if status == 200 and not allowed:
                leaks.append(f"{name} ({person.username}) GET {path} → 200 without permission")
    return leaks


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _api_leaks() -> list[str]:
    document = Client().get("/api/v1/openapi.json").json()
    token = session_token_for(Client(), UserFactory(username="stranger-api"))
    stranger = TokenClient(Client(), token)
    checked, leaks = 0, []
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" not in path:
            continue
        if not operation.get("security"):  # a public read
            continue
        for number in NUMBERS:
            url = re.sub(r"\{[^}]+\}", str(number), path)
            status = stranger.get(url).status_code
            checked += 1
            if status not in NOT_HERE | {422}:
                leaks.append(f"stranger GET {url} → {status}")
    assert checked > 5, checked
    return leaks
