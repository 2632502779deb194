"""Cache generations: a named counter that every cached fragment of an area puts in its key.

Bumping the generation makes all those fragments stale at once, without listing their keys.
"""

import time

from django.core.cache import cache
from django.db import transaction


def generation_key(name: str) -> str:
    """The cache key holding an area's generation (for code that reads it with other keys at once)."""
    return f"generation:{name}"


_key = generation_key


def generation(name: str) -> int:
    """The current generation of an area's cached fragments."""
    return cache.get_or_set(_key(name), time.time_ns(), None)


def generation_bump(name: str) -> None:
    """Make every cached fragment of the area stale (now)."""
    cache.set(_key(name), time.time_ns(), None)


def generation_bump_on_commit(name: str) -> None:
    """Make the area's fragments stale once the current transaction commits."""
    transaction.on_commit(lambda: generation_bump(name))


def versioned_key(name: str, *parts) -> str:
    """A cache key for one fragment of an area, valid until the area's next bump."""
    return ":".join([name, str(generation(name)), *map(str, parts)])
