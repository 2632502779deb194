"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from apps.core.cache import git_commit

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env("SITE_NAME", default="兴化市总工会")
# Legal aid: first response due within this many working days; private records kept this long
# after the consultation or case closes, then deleted or anonymised.
LEGAL_AID_RESPONSE_WORKING_DAYS = env.int("LEGAL_AID_RESPONSE_WORKING_DAYS", default=2)
LEGAL_AID_RETENTION_DAYS = env.int("LEGAL_AID_RETENTION_DAYS", default=1095)
# Children enrolled by a parent (托管托育): name and guardian phone kept this long after the
# activity's last session, then removed (apps/enrolment/services/retention.py).
ENROLMENT_CHILD_RETENTION_DAYS = env.int("ENROLMENT_CHILD_RETENTION_DAYS", default=180)
# Who grants access to a role (shown on the 403 page of a page that needs one).
ACCESS_CONTACT = env("ACCESS_CONTACT", default="市总工会办公室")

# --- Applications -----------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.headless",
    "django_filters",
    "csp",
    "django_prose_editor",
    # Only for its static Swagger UI files at /api/v1/docs (served from our origin, not a CDN).
    "ninja",
]
LOCAL_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.reminders",
    "apps.enrolment",
    "apps.news",
    "apps.tenthings",
    "apps.stations",
    "apps.legal_aid",
    "apps.innovation",
    "apps.membership",
    "apps.activities",
    "apps.benefits",
    "apps.assistance",
    "apps.dashboard",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.PermissionsPolicyMiddleware",
    "apps.core.middleware.NulInQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous visitors, before sessions, CSRF and auth run (apps/core/pagecache.py).
    "apps.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in person read from the shared cache (apps/core/personal.py).
    "apps.core.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.core.middleware.AdminBadInputMiddleware",
]

# Sent by apps.core.middleware.PermissionsPolicyMiddleware on every response.
PERMISSIONS_POLICY = ", ".join(
    (
        "geolocation=(self)",
        "camera=(self)",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
        "magnetometer=()",
        "gyroscope=()",
        "accelerometer=()",
        "display-capture=()",
        "browsing-topics=()",
    )
)

ROOT_URLCONF = "union_portal.urls"
WSGI_APPLICATION = "union_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
                "apps.core.seo.share_card",
                "apps.core.context_processors.demo_notice",
                "apps.reminders.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# No DATABASE_URL: an embedded SQLite file so a newcomer needs no server.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL speed-up; on the embedded SQLite default the index
# is made without its extra columns, which is all W040 says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache --------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: cache misses and dropped writes, never a 500 (see the backend).
            "BACKEND": "apps.core.cache_backends.ResilientRedisCache",
            "LOCATION": env("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "union_portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The anonymous page cache (apps/core/pagecache.py) lives in the default cache: Redis in
# production, local memory on the embedded default. Pages are invalidated by the writes that
# change them; PAGE_CACHE_SECONDS bounds how old a page that changes with the clock may be.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Blocks that are the same for every visitor (the home page's panels) kept under the same rules,
# so that signed-in visitors and cache misses do not rebuild them (apps/core/pagecache.py).
FRAGMENT_CACHE_ENABLED = env.bool("FRAGMENT_CACHE_ENABLED", default=True)
# In every page and fragment key, so that a deploy never reads what an older one stored.
RELEASE = env("RELEASE", default="") or git_commit(BASE_DIR) or "dev"
# Sessions: Django's cached_db (read from the cache, written to the database too), each entry
# kept at most SESSION_CACHE_SECONDS (apps/core/sessions.py). With Redis down they come from the
# database. The signed-in person, their roles and the bell's count are kept per person under
# the person's generation for PERSONAL_CACHE_SECONDS (apps/core/personal.py).
SESSION_ENGINE = "apps.core.sessions"
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=900)
PERSONAL_CACHE_ENABLED = env.bool("PERSONAL_CACHE_ENABLED", default=True)
PERSONAL_CACHE_SECONDS = env.int("PERSONAL_CACHE_SECONDS", default=300)

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "apps.accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "apps.accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "apps.accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "apps.accounts.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:me"

ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
# Workers sign in with a user name, a mobile number or an e-mail address, or with an SMS code;
# they sign up with a mobile number (proven by an SMS code) and may leave e-mail out.
ACCOUNT_LOGIN_METHODS = {"username", "email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "username", "email", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "apps.accounts.forms.SignupProfileForm"
ACCOUNT_FORMS = {
    "signup": "apps.accounts.auth_forms.SignupForm",
    "login": "apps.accounts.auth_forms.LoginForm",
    "request_login_code": "apps.accounts.auth_forms.RequestLoginCodeForm",
    "confirm_login_code": "apps.accounts.auth_forms.ConfirmLoginCodeForm",
    "verify_phone": "apps.accounts.auth_forms.VerifyPhoneForm",
}
# An e-mail address is optional (many workers have none); one that is given is still verified.
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
# Without it allauth prefixes "[<host>:<port>] " (no sites framework): the union's name instead.
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"【{SITE_NAME}】"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Messages greet people by their real name, not their login name.
ACCOUNT_USER_DISPLAY = "apps.accounts.models.user_display"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# SMS codes expire (seconds) and allow a few wrong tries before a new code is needed.
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = env.int("ACCOUNT_PHONE_VERIFICATION_TIMEOUT", default=10 * 60)
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = env.int("ACCOUNT_LOGIN_BY_CODE_TIMEOUT", default=5 * 60)
# Six digits, as every Chinese SMS code is (the phone keypad fills them in).
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "dashed": False, "length": 6}
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "dashed": False, "length": 6}
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 5
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 5
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = 3
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = 3
# allauth's own rate limits (kept explicit so nobody switches them off by accident). "key" is the
# mobile number (or e-mail) for the code actions, so each number and each address is limited.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/5m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
    "request_login_code": "10/h/ip,1/m/key,5/h/key",
    "verify_phone": "1/m/key,10/h/ip",
    "change_phone": "1/m/user",
}
# The JSON API's clients (phone app, WeChat mini-program) sign in through allauth's headless mode
# at /_allauth/app/v1/ (the same forms, adapter, SMS codes and rate limits as the pages) and send
# the session token it gives as X-Session-Token (apps/core/api.py). The pages stay allauth's own.
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app",)
# Text messages: the console backend logs codes (development, tests); set SMS_BACKEND to
# "apps.accounts.sms.AliyunSmsBackend" and the four SMS_ALIYUN_* values to send real ones.
SMS_BACKEND = env("SMS_BACKEND", default="apps.accounts.sms.ConsoleSmsBackend")
SMS_ALIYUN_ACCESS_KEY_ID = env("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_SIGN_NAME = env("SMS_ALIYUN_SIGN_NAME", default="")
SMS_ALIYUN_TEMPLATE_CODE = env("SMS_ALIYUN_TEMPLATE_CODE", default="")
SMS_ALIYUN_ENDPOINT = env("SMS_ALIYUN_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")

# --- Reminder channels (apps/reminders/deliveries.py) and WeChat (apps/accounts/wechat.py) -----
# Every reminder reaches the inbox and one outside channel: WeChat → SMS → e-mail. A channel
# switched on in production with a console sender refuses to start (settings/production.py).
REMINDER_WECHAT_ENABLED = env.bool("REMINDER_WECHAT_ENABLED", default=True)
REMINDER_SMS_ENABLED = env.bool("REMINDER_SMS_ENABLED", default=True)
REMINDER_WECHAT_SENDER = env(
    "REMINDER_WECHAT_SENDER", default="apps.reminders.channels.senders.ConsoleWeChatSender"
)  # or apps.reminders.channels.senders.WeChatApiSender
# One approved template per kind: "enrolment.offered=SMS_123,legal_aid.appointment=SMS_456".
REMINDER_SMS_TEMPLATES = env.dict("REMINDER_SMS_TEMPLATES", default={})
REMINDER_SMS_DAILY_CAP = env.int("REMINDER_SMS_DAILY_CAP", default=50)  # Aliyun: per number and template
REMINDER_QUIET_HOURS = env("REMINDER_QUIET_HOURS", default="21:00-08:00")  # "" for none
REMINDER_SEND_STALE_SECONDS = env.int("REMINDER_SEND_STALE_SECONDS", default=300)
WECHAT_API_BASE = env("WECHAT_API_BASE", default="https://api.weixin.qq.com")
WECHAT_OPEN_BASE = env("WECHAT_OPEN_BASE", default="https://open.weixin.qq.com")
WECHAT_TIMEOUT = env.int("WECHAT_TIMEOUT", default=10)
WECHAT_MP_APP_ID = env("WECHAT_MP_APP_ID", default="")
WECHAT_MP_APP_SECRET = env("WECHAT_MP_APP_SECRET", default="")
WECHAT_MP_TEMPLATES = env.dict("WECHAT_MP_TEMPLATES", default={})  # kind=template id
WECHAT_MINI_APP_ID = env("WECHAT_MINI_APP_ID", default="")
WECHAT_MINI_APP_SECRET = env("WECHAT_MINI_APP_SECRET", default="")
WECHAT_MINI_TEMPLATES = env.dict("WECHAT_MINI_TEMPLATES", default={})
WECHAT_MINI_NOTIFICATION_PAGE = env("WECHAT_MINI_NOTIFICATION_PAGE", default="pages/notification/index")

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Django serves public uploads itself (union_portal/urls.py): for the embedded default without a
# web server in front; in production nginx serves MEDIA_ROOT.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# Private uploads (consultation papers, case files, certificates): never under MEDIA_ROOT, never
# served by the web server; only through views that check who may see the record.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Upload limits used by apps.core.uploads (one validator for every upload in the portal).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# 24 M pixels: a phone photo is 12–16 M; a 36 M-pixel image costs about 2 s of CPU to re-encode.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=24_000_000)
IMAGE_MAX_SIDE = env.int("IMAGE_MAX_SIDE", default=2560)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds an SMTP connection may stall before the attempt fails (and the task retries later).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Right-hand side of the deterministic Message-ID of each reminder e-mail (duplicates dropped).
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="union-portal.local")
# The portal's own address at its mail domain (not noreply@localhost, which receivers reject).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <tongzhi@{EMAIL_MESSAGE_ID_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------
# No broker configured: tasks run eagerly in-process so the embedded default works alone.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL) or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An outbox row handed to the broker but not run within this many seconds is handed over again
# (the broker lost it: Redis killed without persistence). Longer than a task's longest run plus
# the worker's visibility timeout, so a slow task is not doubled needlessly (a double is harmless).
OUTBOX_REDELIVER_SECONDS = env.int("OUTBOX_REDELIVER_SECONDS", default=1800)
# A request that queues a task must not hang on a dead broker: fail fast, the outbox keeps it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# A task unacknowledged this long (its worker died) is handed to another worker. The longest
# task (a 100,000-person fan-out, about 30 s) fits well inside it; hard time limit below it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Every periodic job of the portal, in one place.
CELERY_BEAT_SCHEDULE = {
    "membership-overdue-remind": {
        "task": "apps.membership.tasks.overdue_remind_task",
        "schedule": crontab(hour=8, minute=10),
    },
    "core-submission-tokens-purge": {
        "task": "apps.core.tasks.submission_tokens_purge",
        "schedule": crontab(hour=3, minute=40),
    },
    "reminders-daily-digest": {
        "task": "apps.reminders.tasks.digests_send_task",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "reminders-weekly-digest": {
        "task": "apps.reminders.tasks.digests_send_task",
        "schedule": crontab(day_of_week=1, hour=7, minute=15),
        "args": ("weekly",),
    },
    "reminders-channel-sweep": {
        "task": "apps.reminders.tasks.channel_deliveries_sweep",
        "schedule": crontab(minute="*/5"),  # held SMS/WeChat after the quiet hours; stopped sends
    },
    "reminders-outbox-relay": {
        "task": "apps.reminders.tasks.outbox_relay",
        "schedule": crontab(),  # every minute: tasks still waiting after a broker outage
    },
    # Legal aid: shift and appointment reminders the evening before, clocks of cases and answers.
    "legal-shifts-tomorrow": {
        "task": "apps.legal_aid.tasks.shifts_tomorrow_notify",
        "schedule": crontab(hour=18, minute=0),
    },
    "legal-shifts-unconfirmed": {
        "task": "apps.legal_aid.tasks.shifts_unconfirmed_notify",
        "schedule": crontab(hour=9, minute=0),
    },
    "legal-appointments-tomorrow": {
        "task": "apps.legal_aid.tasks.appointments_tomorrow_notify",
        "schedule": crontab(hour=18, minute=5),
    },
    "legal-callbacks-due": {"task": "apps.legal_aid.tasks.callbacks_due_notify", "schedule": crontab(minute="*/10")},
    "legal-consultations-overdue": {
        "task": "apps.legal_aid.tasks.consultations_overdue_notify",
        "schedule": crontab(minute=15),
    },
    "legal-case-clocks": {"task": "apps.legal_aid.tasks.case_clocks_notify", "schedule": crontab(hour=8, minute=15)},
    "legal-ledger-monthly": {
        "task": "apps.legal_aid.tasks.ledger_monthly_request",
        "schedule": crontab(day_of_month=1, hour=9, minute=30),
    },
    "legal-records-purge": {
        "task": "apps.legal_aid.tasks.records_purge_expired",
        "schedule": crontab(hour=3, minute=45),
    },
    # Enrolment engine: offers not confirmed in time pass on; the day-before reminder; no-shows.
    "enrolment-offers-expire": {"task": "apps.enrolment.tasks.offers_expire_task", "schedule": crontab(minute="*/5")},
    "enrolment-tomorrow": {
        "task": "apps.enrolment.tasks.tomorrow_remind_task",
        "schedule": crontab(hour=18, minute=30),
    },
    "enrolment-after-event": {"task": "apps.enrolment.tasks.after_event_task", "schedule": crontab(minute=40)},
    "enrolment-children-retention": {
        "task": "apps.enrolment.tasks.children_forget_task",
        "schedule": crontab(hour=3, minute=50),
    },
    # Benefits: the evening before a booked appointment, the person is told the time and the provider.
    "benefits-appointments-tomorrow": {
        "task": "apps.benefits.tasks.appointments_tomorrow_task",
        "schedule": crontab(hour=18, minute=35),
    },
    # Assistance: caseworkers told a month before a family's yearly re-check is due; retention.
    "assistance-recheck-remind": {
        "task": "apps.assistance.tasks.recheck_remind_task",
        "schedule": crontab(hour=8, minute=20),
    },
    "assistance-records-purge": {
        "task": "apps.assistance.tasks.records_purge_task",
        "schedule": crontab(hour=3, minute=50),
    },
    "innovation-reminders-daily": {
        "task": "apps.innovation.tasks.innovation_reminders_send",
        "schedule": crontab(hour=8, minute=0),
    },
    "reminders-purge-old-read": {
        "task": "apps.reminders.tasks.notifications_purge_old",
        "schedule": crontab(hour=3, minute=30),
    },
    # Ten practical things: monthly report requests, daily overdue alerts, Monday digest to leaders.
    "tenthings-report-requests": {
        "task": "apps.tenthings.tasks.report_requests_send_task",
        "schedule": crontab(day_of_month=1, hour=9, minute=0),
    },
    "tenthings-overdue-alerts": {
        "task": "apps.tenthings.tasks.overdue_alerts_send_task",
        "schedule": crontab(hour=8, minute=30),
    },
    "tenthings-leader-digest": {
        "task": "apps.tenthings.tasks.leader_digest_send_task",
        "schedule": crontab(day_of_week=1, hour=8, minute=0),
    },
    "stations-inspections-overdue": {
        "task": "apps.stations.tasks.inspections_overdue_check",
        "schedule": crontab(hour=8, minute=0),
    },
    "news-publish-due": {
        "task": "apps.news.tasks.articles_publish_due",
        "schedule": crontab(),  # every minute
    },
    "news-overdue-alert": {
        "task": "apps.news.tasks.articles_overdue_alert",
        "schedule": crontab(minute="*/5"),
    },
}

# --- Maps ---------------------------------------------------------------------------------
# Tiles that load in China. MAP_TILE_PROVIDER picks one (see README, "Maps"):
#   "amap"     高德 road tiles, no key, drawn in GCJ-02 (markers are shifted for display);
#   "tianditu" 天地图 (the national service) in CGCS2000 ≈ WGS-84, needs TIANDITU_KEY (a 浏览器端 key);
#   "osm"      OpenStreetMap (abroad, or behind a proxy);
#   "custom"   MAP_TILE_URL / MAP_TILE_ATTRIBUTION / MAP_TILE_COORDS as given.
# The tile origin is added to the CSP img-src below.
MAP_TILE_PROVIDER = env("MAP_TILE_PROVIDER", default="amap")
TIANDITU_KEY = env("TIANDITU_KEY", default="")
_TIANDITU_WMTS = (
    "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%s&STYLE=default"
    "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + TIANDITU_KEY
)
_MAP_PROVIDERS = {
    "amap": {
        "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "labels": "",
        "subdomains": "1234",
        "attribution": "© 高德地图",
        "coords": "gcj02",
    },
    "tianditu": {
        "url": _TIANDITU_WMTS % ("vec", "vec"),
        "labels": _TIANDITU_WMTS % ("cva", "cva"),
        "subdomains": "01234567",
        "attribution": "© 天地图",
        "coords": "wgs84",
    },
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "labels": "",
        "subdomains": "abc",
        "attribution": "© OpenStreetMap",
        "coords": "wgs84",
    },
}
if MAP_TILE_PROVIDER == "tianditu" and not TIANDITU_KEY:
    raise ImproperlyConfigured("MAP_TILE_PROVIDER=tianditu needs TIANDITU_KEY (a 天地图 browser key)")
_map = _MAP_PROVIDERS.get(
    MAP_TILE_PROVIDER, {"url": "", "labels": "", "subdomains": "abc", "attribution": "", "coords": "wgs84"}
)
MAP_TILE_URL = env("MAP_TILE_URL", default=_map["url"])
MAP_TILE_LABELS_URL = env("MAP_TILE_LABELS_URL", default=_map["labels"])  # a transparent label layer on top
MAP_TILE_SUBDOMAINS = env("MAP_TILE_SUBDOMAINS", default=_map["subdomains"])
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default=_map["attribution"])
MAP_TILE_COORDS = env("MAP_TILE_COORDS", default=_map["coords"])  # "wgs84" or "gcj02"


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}" in url:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}" if parts.scheme else ""


# --- Content Security Policy --------------------------------------------------------------
# Scripts only from our own origin: no inline script anywhere in our templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # The nonce is only sent where a page asks for it (the news body editor's import map).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"] + ([_origin(MAP_TILE_URL)] if _origin(MAP_TILE_URL) else []),
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Security defaults (production tightens them) ----------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
