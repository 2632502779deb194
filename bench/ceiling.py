"""The ceiling: the least a Django page can cost on this stack, in one file.

No apps, no middleware, no database, no templates: every path answers HttpResponse("hello").
bench/bench_pages.py serves it with the same gunicorn settings as the portal:

    gunicorn -w 2 --worker-class sync --chdir bench ceiling:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-bench-only-0123456789abcdefghijklmnopqrstuvwxyz-not-for-real-use",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
)


def hello(request):
    return HttpResponse("hello")


# Every path the portal bench loads (/, /news/, /sitemap.xml …) lands here.
urlpatterns = [re_path(r"", hello)]

application = get_wsgi_application()
