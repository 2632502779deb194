"""Cheap drawing helpers for the ten-things pages (an ``{% include %}`` per row costs a template
context push and a node-list render; these are one Python call each)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def tt_bar(percent, css="normal", elapsed=None):
    """The progress bar of ``tenthings/_bar.html``: ``{% tt_bar p.percent_int p.status_css %}``."""
    percent = escape(percent)
    mark = ""
    if elapsed:
        elapsed = escape(elapsed)
        mark = f'<line class="tt-bar-mark" x1="{elapsed}" x2="{elapsed}" y1="0" y2="10"/>'
    return mark_safe(
        f'<svg class="tt-bar tt-bar--{escape(css or "normal")}" viewBox="0 0 100 10" preserveAspectRatio="none"'
        f' role="img" aria-label="{percent}%"><rect class="tt-bar-bg" width="100" height="10" rx="2"/>'
        f'<rect class="tt-bar-fill" width="{percent}" height="10" rx="2"/>{mark}</svg>'
    )
