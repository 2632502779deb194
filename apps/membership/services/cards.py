"""The electronic member card: a signed token that carries its time of issue and lasts 24 hours."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing

from ..models import Member

CARD_SALT = "membership.card"
CARD_MAX_AGE = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class CardCheck:
    """What the verify page may say: valid or not, a masked name and the union — nothing else."""

    valid: bool
    masked_name: str = ""
    union_name: str = ""


def mask_name(name: str) -> str:
    """刘小明 → 刘*明, 王芳 → 王*, 欧阳娜娜 → 欧**娜."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name + "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def card_token(member: Member) -> str:
    """A fresh token for the card's QR code (the member number binds it to this membership)."""
    return signing.TimestampSigner(salt=CARD_SALT).sign(f"{member.pk}.{member.number}")


def card_verify(token: str) -> CardCheck:
    """Valid only for an untampered, unexpired token of a membership that has not ended."""
    try:
        value = signing.TimestampSigner(salt=CARD_SALT).unsign(str(token), max_age=CARD_MAX_AGE)
        pk, number = value.split(".", 1)
        pk = int(pk)
    except (signing.BadSignature, ValueError):
        return CardCheck(False)
    member = (
        Member.objects.filter(pk=pk, number=number)
        .select_related("union")
        .only("real_name", "state", "union__name")
        .first()
    )
    if member is None or not member.is_current:
        return CardCheck(False)
    return CardCheck(True, mask_name(member.real_name), member.union.name)
