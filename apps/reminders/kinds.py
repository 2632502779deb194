"""Reminder kinds, as the apps declare them through the app contract (``reminder_kinds()``);
an undeclared kind still delivers, labelled by its code."""

from apps.core import registry


def label(kind: str):
    return registry.reminder_kinds().get(kind, kind)


def all_kinds() -> dict[str, str]:
    return dict(registry.reminder_kinds())
