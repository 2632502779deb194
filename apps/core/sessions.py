"""The session engine (``SESSION_ENGINE = "apps.core.sessions"``): Django's ``cached_db``.

A signed-in request reads its session from the shared cache (one round trip) instead of the
database; every write still goes to the database first, so nothing is lost when Redis is
flushed, and with Redis down (``apps/core/cache_backends.py``: a miss, a dropped write) every
session is read from the database as before.

One difference from ``cached_db``: an entry is kept at most ``SESSION_CACHE_SECONDS`` (not the
session's whole age), which bounds how long a session ended while Redis was unreachable (its
cache entry could not be deleted then) may still be read from the cache once Redis is back.
"""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class _Bounded:
    """The session cache, with every lifetime cut to SESSION_CACHE_SECONDS."""

    def __init__(self, cache):
        self._wrapped = cache

    def _seconds(self, timeout):
        bound = getattr(settings, "SESSION_CACHE_SECONDS", 900)
        return bound if timeout is None else min(timeout, bound)

    def set(self, key, value, timeout=None, **kwargs):
        return self._wrapped.set(key, value, self._seconds(timeout), **kwargs)

    async def aset(self, key, value, timeout=None, **kwargs):
        return await self._wrapped.aset(key, value, self._seconds(timeout), **kwargs)

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

    def __contains__(self, key):
        return key in self._wrapped


class SessionStore(CachedDBStore):
    cache_key_prefix = "session:"

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _Bounded(self._cache)
