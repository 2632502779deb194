"""What the legal-aid reads share."""

from __future__ import annotations

from django.urls import reverse


def url_maker(name: str):
    """A fast ``pk -> url`` for one URL name: reverse once, then substitute the pk."""
    sentinel = 987654321
    prefix, suffix = reverse(name, args=[sentinel]).split(str(sentinel))
    return lambda pk: f"{prefix}{pk}{suffix}"
