"""Reminder kinds, as the apps declare them through the app contract (``reminder_kinds()``):
each says which outside channels it may use and which roles can receive it. An undeclared kind
still delivers, labelled by its code, on the default channels."""

from apps.core import registry
from apps.core.contract import REMINDER_CHANNELS, ReminderKind


def label(kind: str):
    return registry.reminder_kinds().get(kind, kind)


def all_kinds() -> dict[str, str]:
    return dict(registry.reminder_kinds())


def declaration(kind: str) -> ReminderKind:
    return registry.reminder_kind_declarations().get(kind) or ReminderKind(kind, kind)


def channels_of(kind: str) -> tuple[str, ...]:
    """The outside channels a kind may use, in the default order (WeChat, SMS, e-mail)."""
    allowed = declaration(kind).channels
    return tuple(channel for channel in REMINDER_CHANNELS if channel in allowed)


def kinds_for(user) -> dict[str, ReminderKind]:
    """The kinds this person can receive: everyone's, and those of the roles they hold."""
    return {
        key: kind
        for key, kind in registry.reminder_kind_declarations().items()
        if not kind.roles or registry.user_holds(user, tuple(kind.roles))
    }
