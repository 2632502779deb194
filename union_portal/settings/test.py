"""Test settings: fast hashing, in-memory mail, media in a temp dir (see conftest)."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default="/tmp/union-portal-test-mail")
# Tests use an in-process cache so rate-limit counters reset between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests change data inside transactions that never commit, so the page cache (invalidated on
# commit) is off; the page-cache tests switch it on and commit their writes.
PAGE_CACHE_ENABLED = False
FRAGMENT_CACHE_ENABLED = False
# Likewise the per-person entries (apps/core/personal.py): refreshed on commit, so off here; the
# tests of it switch it on and commit their writes.
PERSONAL_CACHE_ENABLED = False
# Eager unless a test starts a real worker (see apps/reminders/tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("REDIS_URL", default="") or "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_ALLOWED = True  # load_demo runs in tests although DEBUG is off
