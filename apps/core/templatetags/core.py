from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.734 -> '73%' (ratios are kept as 0..1 everywhere)."""
    try:
        return f"{float(value) * 100:.{int(digits)}f}%"
    except (TypeError, ValueError):
        return ""


@register.filter(is_safe=True)
def clip(value, length) -> str:
    """Django's ``truncatechars`` for plain text, without its translation lookup on every call
    (a dozen cards a page add up): at most ``length`` characters, the last one "…" when cut."""
    text, length = str(value), int(length)
    if len(text) <= length:
        return text
    return text[: max(length - 1, 0)] + "…"


@register.simple_tag
def submission_token():
    """The hidden one-time token of a form that creates a record (``apps.core.submissions``)."""
    from django.utils.html import format_html

    from apps.core.submissions import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
