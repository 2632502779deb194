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


DEMO_MARKER_NAME = "demo-loaded"


def demo_marker_path():
    """The file load_demo leaves behind (outside the public media): its presence means demo data."""
    from pathlib import Path

    return Path(settings.PRIVATE_MEDIA_ROOT) / DEMO_MARKER_NAME


def demo_notice(request):
    """``demo_loaded`` for the site-wide notice: a file check, no database query on any page.

    load_demo writes the marker (the dashboard app, the last to load, does it); deleting the file
    removes the notice once the demo records are gone.
    """
    return {"demo_loaded": demo_marker_path().exists()}
