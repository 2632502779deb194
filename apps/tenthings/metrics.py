"""Metrics other apps register so a ten-things indicator can take its actual value from them.

Usage, in another app's ``AppConfig.ready``::

    from django.apps import apps
    if apps.is_installed("apps.tenthings"):
        from apps.tenthings import metrics
        metrics.register("stations.opened_24h", "新建24小时驿站", "个", stations_opened_24h)

where ``stations_opened_24h(year: int) -> int | Decimal``. The key is stored on the indicator.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    compute: Callable[[int], int | Decimal]


_REGISTRY: dict[str, Metric] = {}


def register(key: str, label: str, unit: str, compute: Callable[[int], int | Decimal]) -> Metric:
    """Add (or replace, for reloads) a metric under a stable key."""
    metric = Metric(key=key, label=str(label), unit=str(unit), compute=compute)
    _REGISTRY[key] = metric
    return metric


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def get(key: str) -> Metric | None:
    return _REGISTRY.get(key)


def choices() -> list[tuple[str, str]]:
    """(key, label) pairs for a form's select, sorted by label."""
    return sorted(((m.key, f"{m.label}（{m.unit}）") for m in _REGISTRY.values()), key=lambda c: c[1])


def value(key: str, year: int) -> Decimal | None:
    """The metric's value for a year, or None if no app registered it."""
    metric = _REGISTRY.get(key)
    if metric is None:
        return None
    return Decimal(metric.compute(year))
