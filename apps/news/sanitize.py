"""The allow-list for article bodies: what staff paste from Word/WPS is cleaned on save, so the
stored body is already safe to render.

Images in the body are kept only when they point at our own media (an uploaded article
image's rendition): a picture pasted from Word/WPS arrives as a ``data:`` URI or a
``file://`` path of the editor's own computer and is removed, as is any external or
``javascript:`` source.
"""

import posixpath
import re
from html import unescape
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Word and WPS paste carry dozens of mso-* properties; only these survive.
ALLOWED_STYLE_PROPERTIES = {"text-align", "font-weight", "font-style", "text-decoration"}


def media_src_allowed(src: str) -> bool:
    """True for a relative path under MEDIA_URL (no scheme, host, '..' or backslash)."""
    src = (src or "").strip()
    media_url = settings.MEDIA_URL
    if not src or not media_url.startswith("/") or "\\" in src:
        return False
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return False
    path = unquote(parts.path)
    if ".." in path.split("/") or posixpath.normpath(path) + ("/" if path.endswith("/") else "") != path:
        return False
    return path.startswith(media_url) and len(path) > len(media_url)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if media_src_allowed(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    # Content of these is dropped entirely, not just the tags.
    clean_content_tags={"script", "style", "noscript", "iframe", "object", "embed", "template", "xml"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    filter_style_properties=ALLOWED_STYLE_PROPERTIES,
    strip_comments=True,
)


# The serializer always double-quotes attribute values (a quote inside is escaped).
_IMG = re.compile(r"<img\b(?:[^\">]|\"[^\"]*\")*>", re.I)
_SRC = re.compile(r"\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_EMPTY_FIGURE = re.compile(r"<figure>\s*(?:<figcaption>(.*?)</figcaption>)?\s*</figure>", re.S)


def _img_src(tag: str) -> str | None:
    match = _SRC.search(tag)
    if not match:
        return None
    return unescape(next(group for group in match.groups() if group is not None))


def body_image_sources(html: str) -> list[str]:
    """The ``src`` of every ``<img>`` in a (sanitised) body, in order."""
    return [src for src in (_img_src(tag) for tag in _IMG.findall(html or "")) if src]


def body_dropped_images(html: str) -> int:
    """How many images of a raw (unsanitised) body the sanitiser removes (pasted data:/file:,
    external or script sources)."""
    sources = (_img_src(tag) for tag in re.findall(r"<img\b[^>]*>", html or "", re.I))
    return sum(1 for src in sources if src is not None and not media_src_allowed(src))


def body_sanitize(html: str) -> str:
    """Return the body with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html)
    # An image whose source was refused is removed entirely, and a figure left empty with it.
    cleaned = _IMG.sub(lambda m: m.group(0) if _img_src(m.group(0)) else "", cleaned)
    cleaned = _EMPTY_FIGURE.sub(lambda m: f"<p>{m.group(1)}</p>" if m.group(1) else "", cleaned).strip()
    # An editor with nothing typed still holds one empty paragraph.
    if re.fullmatch(r"(<p>\s*(<br>)?\s*</p>\s*)*", cleaned):
        return ""
    return cleaned


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|figcaption)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def body_plain_text(html: str) -> str:
    """The body as plain text, one paragraph per line (for search and excerpts)."""
    text = _BLOCK_END.sub("\n", html or "")
    text = unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
