import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings.local")

app = Celery("union_portal")
# All Celery settings live in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
