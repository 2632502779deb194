"""What every signed-in page needs about its visitor, kept per person in the shared cache.

A signed-in page used to ask the database, on every request, for the person (one query), their
role names (one query) and the unread count of the header's bell (one query). Those answers are
kept in one cache entry per person, read in one round trip together with the person's
generation:

- the person, without their password hash (a deferred field: read from the database if some
  code asks for it; ``save()`` then writes only the fields that were loaded), and their role
  names (``user.role_names``);
- the session hash the person's sessions must carry (a changed password still signs every
  other session out);
- named personal values (:func:`kept`), such as the bell's unread count.

How it is invalidated: the person's generation (``generation:person:<pk>``, the one scheme of
``apps/core/cache.py``) is bumped when a write that changes them commits — a save or delete of
the user, a change of their groups (model signals, connected from
:func:`apps.core.pagecache.connect_invalidation`), and any code that changes what a kept value
is built from calls :func:`personal_changed` (the reminders services, for the bell). An entry
built under an older generation is never used. Entries also expire after
``PERSONAL_CACHE_SECONDS``, which bounds how long a change the cache could not hear of (Redis
unreachable while it was made) may be missed.

Redis down: reads miss and every request asks the database, as before. Off with
``PERSONAL_CACHE_ENABLED`` (the tests, whose transactions never commit).
"""

from __future__ import annotations

import copy
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.crypto import constant_time_compare

from .cache import generation_key

# Attributes that belong to one request and are never stored with the person.
_REQUEST_ONLY = ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_person_facts", "_personal", "backend")


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _entry_key(pk) -> str:
    return f"person:{settings.RELEASE}:{pk}"


def _gen_key(pk) -> str:
    return generation_key(f"person:{pk}")


def _seconds() -> int:
    return getattr(settings, "PERSONAL_CACHE_SECONDS", 300)


def enabled() -> bool:
    return getattr(settings, "PERSONAL_CACHE_ENABLED", False)


def personal_changed(user_ids) -> None:
    """Everything kept about these people (ids or users) is stale once the transaction commits."""
    if not enabled():
        return  # nothing is kept
    many = isinstance(user_ids, list | tuple | set | frozenset)
    ids = [pk for u in (user_ids if many else [user_ids]) if (pk := getattr(u, "pk", u)) is not None]
    if ids:
        transaction.on_commit(lambda: _bump(ids))


def _bump(ids) -> None:
    now = time.time_ns()
    _cache().set_many({_gen_key(pk): now for pk in ids}, 2 * _seconds())


# --- The person of a request ----------------------------------------------------------------


def user_of(request):
    """``request.user``, answered from the kept entry when it is current, else as Django does."""
    from django.contrib import auth
    from django.contrib.auth.models import AnonymousUser

    if not enabled():
        return auth.get_user(request)
    session = request.session
    try:
        pk = auth._get_user_session_key(request)
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValueError, TypeError):
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    cache = _cache()
    found = cache.get_many([_entry_key(pk), _gen_key(pk)])
    entry, current = found.get(_entry_key(pk)), found.get(_gen_key(pk))
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if (
        entry is not None
        and current is not None
        and entry["generation"] == current
        and session_hash
        and constant_time_compare(session_hash, entry["auth_hash"])
    ):
        user = entry["user"]
        if user.is_active:
            user.backend = backend_path
            user._personal = {"generation": current, "values": dict(entry["values"]), "auth_hash": entry["auth_hash"]}
            return user
    if current is None:
        cache.add(_gen_key(pk), time.time_ns(), 2 * _seconds())
        current = cache.get(_gen_key(pk))
    user = auth.get_user(request)  # built after reading the generation: a write meanwhile makes it stale
    if user.is_authenticated and current is not None:
        user._personal = {"generation": current, "values": {}, "auth_hash": user.get_session_auth_hash()}
        _store(user)
    return user


def _real(user):
    """The user itself behind ``request.user`` (a lazy object)."""
    from django.utils.functional import LazyObject, empty

    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def _store(user) -> None:
    user = _real(user)
    personal = user._personal
    kept = copy.copy(user)
    kept._state = copy.copy(user._state)
    kept._state.fields_cache = {}  # related rows (employer, town) are read again when asked for
    kept.__dict__.pop("password", None)  # deferred: never in the cache
    for name in _REQUEST_ONLY:
        kept.__dict__.pop(name, None)
    kept.role_names  # noqa: B018  (read now: kept with the person)
    user.__dict__.setdefault("role_names", kept.role_names)
    entry = {
        "generation": personal["generation"],
        "user": kept,
        "auth_hash": personal["auth_hash"],
        "values": dict(personal["values"]),
    }
    _cache().set(_entry_key(user.pk), entry, _seconds())


def kept(user, name: str, build, *, seconds: int | None = None):
    """A value about one person (``build()``), kept with them until :func:`personal_changed` (and
    at most ``seconds``, for a value that others' writes may change without telling them).

    Only for people whose request went through the portal's authentication middleware (others:
    built every time). ``name`` must say everything else the value depends on."""
    personal = getattr(user, "_personal", None)
    if personal is None:
        return build()
    values = personal["values"]
    found = values.get(name)
    if found is None or (seconds is not None and time.time() - found[0] > seconds):
        found = values[name] = (time.time(), build())
        _store(user)
    return found[1]


def kept_block(request, name: str, build, *, seconds: int = 60):
    """HTML of a block of a personal page (``build()`` renders it), kept like :func:`kept`: per
    person, language and CSRF secret (a form's token in it stays valid in that browser only), at
    most ``seconds``; any POST of the person's makes it stale (the authentication middleware)."""
    from django.utils.translation import get_language

    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return build()  # the token would be a new one: nothing to key it by yet
    browser = hashlib.blake2b(secret.encode(), digest_size=8).hexdigest()
    return kept(request.user, f"block:{name}:{get_language()}:{browser}", build, seconds=seconds)


# --- Invalidation -----------------------------------------------------------------------------


def _on_user_write(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    personal_changed([instance.pk])


def _on_groups(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action == "pre_clear" and reverse:
        # A group emptied: who was in it is known only before.
        instance._personal_cleared = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        personal_changed([instance.pk])
    elif action == "post_clear":
        personal_changed(getattr(instance, "_personal_cleared", []))
    else:
        personal_changed(list(pk_set or ()))


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    User = get_user_model()
    post_save.connect(_on_user_write, sender=User, dispatch_uid="personal-user-save")
    post_delete.connect(_on_user_write, sender=User, dispatch_uid="personal-user-delete")
    m2m_changed.connect(_on_groups, sender=User.groups.through, dispatch_uid="personal-user-groups")
