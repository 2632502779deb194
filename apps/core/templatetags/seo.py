"""What search engines and share cards read from a page's head, filled from its blocks.

``{% capture name %}…{% endcapture %}`` renders its content once and keeps it in the context,
so a page's ``title`` and ``description`` blocks feed ``<title>``, the meta description and the
Open Graph tags alike (a Django block can be rendered only once). Blocks inside a capture are
still overridden by child templates: the node lists its ``nodelist`` as a child node list.
"""

from django import template
from django.conf import settings
from django.utils.html import strip_spaces_between_tags
from django.utils.safestring import mark_safe

from apps.core.seo import absolute_url

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered with autoescape on, so the text is already safe HTML; spaces are squeezed
        # because block overrides often come with new lines.
        text = " ".join(strip_spaces_between_tags(self.nodelist.render(context)).split())
        context.dicts[0][self.name] = mark_safe(text)
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("usage: {% capture name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.filter
def absolute(value) -> str:
    """A path (``/media/x.jpg``) as an absolute URL on ``SITE_URL``; absolute URLs unchanged."""
    return absolute_url(str(value or ""))


@register.simple_tag
def site_name() -> str:
    """``SITE_NAME`` where no context processor runs (allauth renders mail without a request)."""
    return settings.SITE_NAME


@register.simple_tag
def site_link() -> str:
    """The portal's address for mail footers (``SITE_URL``, never the request's host:port)."""
    return settings.SITE_URL.rstrip("/") + "/"
