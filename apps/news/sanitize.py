"""The allow-list for article bodies: what staff paste from Word/WPS is cleaned on save, so the
stored body is already safe to render."""

import re
from html import unescape

import nh3

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
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Word and WPS paste carry dozens of mso-* properties; only these survive.
ALLOWED_STYLE_PROPERTIES = {"text-align", "font-weight", "font-style", "text-decoration"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    # Content of these is dropped entirely, not just the tags.
    clean_content_tags={"script", "style", "noscript", "iframe", "object", "embed", "template", "xml"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    filter_style_properties=ALLOWED_STYLE_PROPERTIES,
    strip_comments=True,
)


def body_sanitize(html: str) -> str:
    """Return the body with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
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
