"""Production: Postgres + Redis behind a TLS-terminating reverse proxy."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address as nginx saw it (deploy/nginx: X-Real-IP is overwritten, never passed on
# from the client). Rate limits key on it; gunicorn listens on the loopback address only.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="X-Real-IP")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# The health check must answer plain HTTP probes from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Reminder channels: off unless switched on here, and never on with a sender that only logs.
REMINDER_WECHAT_ENABLED = env.bool("REMINDER_WECHAT_ENABLED", default=False)  # noqa: F405
REMINDER_SMS_ENABLED = env.bool("REMINDER_SMS_ENABLED", default=False)  # noqa: F405
if REMINDER_WECHAT_ENABLED and REMINDER_WECHAT_SENDER.endswith("ConsoleWeChatSender"):  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("REMINDER_WECHAT_ENABLED with the console sender: set REMINDER_WECHAT_SENDER")
if REMINDER_SMS_ENABLED and SMS_BACKEND.endswith("ConsoleSmsBackend"):  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("REMINDER_SMS_ENABLED with the console SMS backend: set SMS_BACKEND")
