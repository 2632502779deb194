"""Defaults for share cards and canonical links (``base.html`` reads them; pages override blocks)."""

from functools import cache

from django.conf import settings
from django.templatetags.static import static

SHARE_CARD_IMAGE = "img/share-card.png"  # 1200×630, drawn by apps/core/share_image.py
SHARE_CARD_SIZE = (1200, 630)


def absolute_url(path: str) -> str:
    """``path`` on ``SITE_URL`` (share cards and canonical links must be absolute)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = f"/{path}"
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@cache
def _default_image() -> str:
    return static(SHARE_CARD_IMAGE)


def share_card(request):
    """The site's own share image and the locale Open Graph names, for ``base.html``."""
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "share_image": _default_image(),
        "share_image_size": SHARE_CARD_SIZE,
        "og_locale": "zh_CN" if language.startswith("zh") else "en_US",
    }
