from django.conf import settings

from .registry import nav_links


def site(request):
    """Site name and the navigation this visitor may use, for the base template."""
    user = getattr(request, "user", None)
    links = nav_links(user)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_links": links,
        "nav_tiles": [link for link in links if link["tile"]],
    }
