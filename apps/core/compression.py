"""gzip for bodies that are compressed once and sent many times: cached pages, the station map.

Why in the app and not only in the server in front: a page stored in the page cache is compressed
once when it is stored, not once per visitor, and the 5,000-station ``map.json`` (over 1 MB of
JSON, ~10x smaller gzipped) is compressed once per marker list. Workers read the portal on phone
data plans; a proxy in front passes a body that is already encoded through untouched.

BREACH: only bodies that are the same for every visitor go through here (a cached page never
holds a CSRF token or anything personal), so compressing them reveals nothing.
"""

from __future__ import annotations

import gzip
import re

from django.utils.text import compress_string

# The same test as Django's GZipMiddleware: a client that names gzip in Accept-Encoding.
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
)
# Below this a gzip header and the client's work cost more than the bytes saved.
MIN_SIZE = 1024


def accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compressible(content_type: str) -> bool:
    return content_type.startswith(_COMPRESSIBLE_TYPES)


def gzipped(content: bytes, content_type: str, *, level: int = 6) -> bytes | None:
    """The gzip form of ``content`` when it is worth sending (text of some size that shrinks).

    Level 6 is Django's (and nginx's usual) balance; a body made once a minute and sent many
    times may take 9 (about 7 % smaller for the station map, four times the work).
    """
    if len(content) < MIN_SIZE or not compressible(content_type):
        return None
    packed = compress_string(content) if level == 6 else gzip.compress(content, compresslevel=level, mtime=0)
    return packed if len(packed) < len(content) else None
