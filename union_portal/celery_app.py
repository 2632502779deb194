import os

from celery import Celery
from celery.signals import setup_logging

# The same default as wsgi.py and asgi.py: a worker started without DJANGO_SETTINGS_MODULE runs
# with the production settings (DEBUG off, secret key required), never the development ones.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings.production")

app = Celery("union_portal")
# All Celery settings live in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs):
    """Workers and beat log through the project's LOGGING, not Celery's own root handler."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
