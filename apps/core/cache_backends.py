"""A Redis cache that keeps the portal serving when Redis is down.

Redis is the portal's cache, its broker and its rate-limit store. If it stops, a plain
``RedisCache`` raises ``ConnectionError`` from every page that reads the cache — the home page,
news, sign-in (allauth's rate limits) — and nobody can even sign in. This backend treats an
unreachable Redis as an empty cache that forgets what it is told (and stops asking it for
``RETRY_AFTER`` seconds): reads miss and fall through to the database, writes are dropped,
``incr`` answers as if the counter started now, and the failure is logged (at most once a
minute) so operators see it; ``/healthz`` still reports the broker as down. Rate limits
therefore open up while Redis is away (logged) rather than lock everyone out.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
_LOG_EVERY = 60.0
# After a failure, answer as an empty cache without trying Redis for this long: a Redis that
# hangs rather than refuses would otherwise cost every request its socket timeout.
RETRY_AFTER = 5.0
_last_logged = [float("-inf")]


def _log(operation: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_logged[0] >= _LOG_EVERY:
        _last_logged[0] = now
        logger.error("cache: Redis unavailable during %s (%s); serving without the cache", operation, exc)


def _falls_back(name: str, fallback):
    """Wrap RedisCache.<name>: on an unreachable Redis, log and return ``fallback(*args)``."""

    def method(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback(*args, **kwargs)
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            self._down_until = time.monotonic() + RETRY_AFTER
            _log(name, exc)
            return fallback(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, answering as an empty cache when Redis is unreachable."
    return method


class ReusedClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` (and its table of ~170 response callbacks) for
    every cache call; a cached page is one call, so that was a fifth of serving it. A client is
    thread-safe and only wraps its pool, so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache whose connection failures are cache misses and dropped writes, never errors."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # Fail fast: a dead Redis must not hold a request for seconds.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, params)
        self._class = ReusedClient
        self._down_until = float("-inf")

    get = _falls_back("get", lambda key, default=None, version=None: default)
    get_many = _falls_back("get_many", lambda keys, version=None: {})
    has_key = _falls_back("has_key", lambda key, version=None: False)
    set = _falls_back("set", lambda *args, **kwargs: None)
    set_many = _falls_back("set_many", lambda *args, **kwargs: [])
    add = _falls_back("add", lambda *args, **kwargs: True)
    touch = _falls_back("touch", lambda *args, **kwargs: False)
    delete = _falls_back("delete", lambda *args, **kwargs: False)
    delete_many = _falls_back("delete_many", lambda *args, **kwargs: None)
    clear = _falls_back("clear", lambda *args, **kwargs: None)
    incr = _falls_back("incr", lambda key, delta=1, version=None: delta)
    get_or_set = _falls_back(
        "get_or_set", lambda key, default, *args, **kwargs: default() if callable(default) else default
    )
