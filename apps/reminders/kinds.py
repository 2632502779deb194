"""Reminder kinds. Each app registers its kinds (in its AppConfig.ready) so users can switch
e-mail on or off per kind; an unregistered kind still delivers, labelled by its code."""

from django.utils.translation import gettext_lazy as _

_KINDS: dict[str, str] = {"general": _("系统通知")}


def register(kind: str, label) -> None:
    _KINDS[kind] = label


def label(kind: str):
    return _KINDS.get(kind, kind)


def all_kinds() -> dict[str, str]:
    return dict(_KINDS)
