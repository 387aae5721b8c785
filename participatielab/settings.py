"""Settings for the Participatielab registration site.

Everything that differs between a laptop and production comes from environment variables;
`.env.example` lists them all. Without any, the site runs in development mode on SQLite.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from participatielab.env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-not-secret-" + "x" * 32
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

# What the site cannot be served without when DEBUG is off. The web server refuses to start
# while anything is missing (participatielab/wsgi.py), and so do `check --deploy` and
# `seed_demo`; commands that sign and serve nothing (makemigrations, makemessages) work in a
# bare checkout. Django itself refuses to sign anything with an empty SECRET_KEY.
NOT_CONFIGURED = [
    message
    for missing, message in [
        (
            not SECRET_KEY,
            "SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DEBUG=1 for local development.",
        ),
        (
            not ALLOWED_HOSTS,
            "ALLOWED_HOSTS is not set. Set it to the site's host name(s), comma-separated.",
        ),
    ]
    if missing
]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, for the links in e-mails (the worker writes them, where no
# request is at hand) and the domain of their Message-IDs. `make run` and `make serve` set it
# to the address they serve unless it is set; with DEBUG off, a system check warns at start-up
# when it points at this machine or at a host outside ALLOWED_HOSTS (registrations/checks.py).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # Django 6's Tasks API, backported; its app runs the backends' system checks.
    "django_tasks",
    # The database task backend: the queue table and `manage.py db_worker`.
    "django_tasks_db",
]
LOCAL_APPS = [
    "sessions.apps.ThemeSessionsConfig",
    "registrations.apps.RegistrationsConfig",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "participatielab.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "participatielab.middleware.LanguageCookieMiddleware",
    # Before anything reads a form body (CSRF does): a body Django cannot decode is a 400.
    "participatielab.middleware.FormCharsetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "participatielab.middleware.RateLimitMiddleware",
]

ROOT_URLCONF = "participatielab.urls"
WSGI_APPLICATION = "participatielab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sessions.context_processors.site_settings",
            ],
        },
    },
]

# DATABASE
# ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# Seconds to wait for the database server to answer a new connection. Without it a host that
# accepts the connection and never answers holds a worker for good; with it `/healthz` says
# 503 in time. (libpq waits this long per address the host name resolves to.)
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
# Seconds SQLite waits for another writer's lock before giving up.
SQLITE_LOCK_TIMEOUT = 20
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so two sign-ups cannot both count the
    # free places before either writes (SQLite has no SELECT ... FOR UPDATE).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": SQLITE_LOCK_TIMEOUT}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", DATABASE_CONNECT_TIMEOUT
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# PASSWORDS
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# An admin login whose `next` points elsewhere (another site) lands on the admin's start page.
LOGIN_REDIRECT_URL = "admin:index"

# LANGUAGE AND TIME
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# STATIC FILES
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed file names in production. With DEBUG on the same storage serves the
# plain names, so `collectstatic` gives the same result whatever DEBUG says.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# UPLOADED FILES (images)
# ------------------------------------------------------------------------------
# Stored through Django's storage API (STORAGES["default"]): a local folder by default, served
# by the app itself under MEDIA_URL (see participatielab.views.media). With several app
# servers, point MEDIA_ROOT at a shared volume, or use a bucket (README, "Uploaded images").
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")

# FORMS
# ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-MAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# The Date header in TIME_ZONE (Amsterdam's +0100 or +0200), not in UTC written as -0000,
# which mail programs read as "time zone unknown".
EMAIL_USE_LOCALTIME = True
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Participatielab <participatielab@example.org>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where Atrivé hears about sign-ups when an event names no address of its own.
STAFF_NOTIFICATION_EMAIL = os.environ.get("STAFF_NOTIFICATION_EMAIL", "atrive@example.org")

# BACKGROUND TASKS AND THE MAIL OUTBOX
# ------------------------------------------------------------------------------
# Mail leaves through the outbox (`registrations.outbox`): the request writes a row and a
# task in its own transaction, a worker (`manage.py db_worker`) sends it. The setting is
# called TASKS: any other name silently gives the immediate backend, which would send mail
# inside the request again (a test checks it).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How often a mail is tried before it shows as failed in the admin, and the wait after the
# first failure (doubled after each next one: 1, 2, 4 ... minutes).
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "10"))
MAIL_RETRY_DELAY_SECONDS = int(os.environ.get("MAIL_RETRY_DELAY_SECONDS", "60"))
# A mail still "sending" after this many seconds was left by a worker that died;
# `manage.py sweep_outbox` queues it again. Keep it well above EMAIL_TIMEOUT.
MAIL_STALE_AFTER_SECONDS = int(os.environ.get("MAIL_STALE_AFTER_SECONDS", "600"))

# SECURITY
# ------------------------------------------------------------------------------
# With DEBUG off everything is strict by default; behind a TLS-terminating proxy set
# SECURE_SSL_REDIRECT=0 and USE_X_FORWARDED_PROTO=1 (the proxy must set X-Forwarded-Proto).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
if env_bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
# Everything a page needs comes from the site itself: no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# CACHE
# ------------------------------------------------------------------------------
# "default" holds cached pages: local memory per process, or Redis (shared by all workers)
# when REDIS_URL is set. "limits" holds rate-limit counts and used form tokens, which every
# worker must see: Redis too, or else a table in the database (made by `createcachetable`,
# which `make run`, `make serve` and the test database run). An unreachable Redis reads as an
# empty cache (`participatielab.cache.ResilientRedisCache`): the site stays up, uncached and
# without rate limits, and `/healthz` says "degraded".
if os.environ.get("REDIS_URL"):
    # Timeouts of 0.5 s, and 10 s without trying after a failure (the backend's defaults).
    redis_cache = {
        "BACKEND": "participatielab.cache.ResilientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    CACHES = {"default": redis_cache, "limits": redis_cache | {"KEY_PREFIX": "limits"}}
    # Every worker sees every write's token raise: a cached page needs no database (see
    # sessions/page_cache.py). A cache per process must check the event's version instead.
    SHARED_CACHE = True
else:
    SHARED_CACHE = False
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {
            "BACKEND": "participatielab.cache.LockingDatabaseCache",
            "LOCATION": "participatielab_limits",
            # Counts and tokens live an hour or a day; culling them early would reset limits.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint (invoices, name badges) reports every step at INFO, even on import.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The product's own settings: abuse limits, sign-ups, privacy, reminders, invoices, the demo.
from participatielab.product_settings import *  # noqa: E402, F403
