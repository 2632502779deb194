from django.conf import settings

from .registry import nav_links


def site(request):
    """Site name and navigation for the base template."""
    return {"SITE_NAME": settings.SITE_NAME, "nav_links": nav_links()}
