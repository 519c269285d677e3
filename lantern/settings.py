"""Lantern's one settings module, driven by environment variables.

Every variable is listed with a one-line explanation in `.env.example`. PostgreSQL is
selected by `DATABASE_URL` alone; without it Lantern uses a SQLite file in WAL mode
inside the data directory (`LANTERN_DATA_DIR`, default: the user's data directory).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from platformdirs import user_data_dir

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


DATA_DIR = Path(os.environ.get("LANTERN_DATA_DIR") or user_data_dir("lantern"))


def _secret_key() -> str:
    """The secret key from the environment, or one generated once and kept on disk."""
    if key := os.environ.get("LANTERN_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("LANTERN_DEBUG")
ALLOWED_HOSTS = env_list("LANTERN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("LANTERN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Before the admin: its admin/base_site.html adds accessibility fixes.
    "lantern.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "lantern.core",
    "lantern.library",
    "lantern.teaching",
    "lantern.legacy",
    "lantern.capture",
    "lantern.linkcheck",
    "lantern.web",
    "lantern.search",
    "lantern.cite",
    "lantern.readinglist",
    "lantern.api",
    "lantern.publish",
    "lantern.backup",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and the other headers Django has no setting for; and, when
    # LANTERN_LOG_REQUESTS is on, one log line per request.
    "lantern.core.middleware.SecurityHeadersMiddleware",
    "lantern.core.middleware.RequestLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page (CONTENT_SECURITY_POLICY below); a
    # response that already carries one (archived copies: "sandbox") keeps its own.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the switcher's cookie, else the browser's
    # Accept-Language, else LANGUAGE_CODE (docs/translations.md).
    "lantern.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail names the signed-in user who made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantern.web.context_processors.site",
                "lantern.readinglist.context_processors.reading_list",
            ],
        },
    },
]

DEFAULT_SQLITE_PATH = DATA_DIR / "lantern.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=int(os.environ.get("LANTERN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE transactions take the
    # write lock up front, so concurrent writers wait (busy timeout) instead of
    # failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Interface languages (lantern/locale; docs/translations.md). Names are each
# language's own, as the switcher shows them.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A year; the switcher's choice outlives the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("LANTERN_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `lantern collectstatic` gathers files for a front web server; unset, the app
# serves static files straight from the apps (WhiteNoise with finders).
STATIC_ROOT = os.environ.get("LANTERN_STATIC_ROOT") or None
# Stored files: WARC snapshots under warcs/. Any Django storage backend works here
# (S3-compatible storage for several machines).
MEDIA_ROOT = Path(os.environ.get("LANTERN_MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the apps' static folders: `lantern serve` needs no
# collectstatic step on a fresh clone.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

# Rendered charts (SVG) and citations are cached under a hash of what they show, so
# they never go stale; keep enough of them for a country's or a publish run's pages
# (Django's default keeps 300).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Several web servers share one cache (redis://host:6379/0), so rate limits count a
# client once across all of them and rendered charts are made once.
if cache_url := os.environ.get("LANTERN_CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": cache_url,
        "KEY_PREFIX": "lantern",
    }
# Stored files on S3-compatible storage (`uv sync --extra s3`); credentials come from
# the usual AWS_* variables. The bucket stays private: archived copies are read back
# through the application.
if bucket := os.environ.get("LANTERN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("LANTERN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LANTERN_S3_REGION") or None,
            "location": os.environ.get("LANTERN_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Lantern's own settings.
LANTERN_SITE_NAME = os.environ.get("LANTERN_SITE_NAME", "Lantern")
# The public address of the site, for citations (e.g. https://lantern.example.org).
LANTERN_SITE_URL = os.environ.get("LANTERN_SITE_URL", "")
# The library's own citation author (the curator who keeps it), shown in "Cite this page".
LANTERN_CURATOR = os.environ.get("LANTERN_CURATOR", "Lantern contributors")
# Where "Quick exit" on help-line blocks leads: a neutral page that gives nothing away.
LANTERN_QUICK_EXIT_URL = os.environ.get(
    "LANTERN_QUICK_EXIT_URL", "https://www.bbc.com/weather"
)
# Let the fetcher reach private, loopback and link-local addresses (tests, local use).
LANTERN_ALLOW_PRIVATE_NETWORKS = env_bool("LANTERN_ALLOW_PRIVATE_NETWORKS")
# Fetching: the most bytes one response may bring, and the wall-clock limit of a fetch.
LANTERN_FETCH_MAX_BYTES = int(
    os.environ.get("LANTERN_FETCH_MAX_BYTES", 25 * 1024 * 1024)
)
LANTERN_FETCH_TIMEOUT = float(os.environ.get("LANTERN_FETCH_TIMEOUT", "45"))
# Link checking: how often a link is due again, and the politeness defaults.
LANTERN_CHECK_EVERY_DAYS = int(os.environ.get("LANTERN_CHECK_EVERY_DAYS", "30"))
LANTERN_CHECK_CONCURRENCY = int(os.environ.get("LANTERN_CHECK_CONCURRENCY", "20"))
LANTERN_CHECK_PER_HOST = int(os.environ.get("LANTERN_CHECK_PER_HOST", "2"))
LANTERN_CHECK_DELAY = float(os.environ.get("LANTERN_CHECK_DELAY", "1.0"))
# The Internet Archive's availability API (tests point it at a local fake).
LANTERN_WAYBACK_API = os.environ.get(
    "LANTERN_WAYBACK_API", "https://archive.org/wayback/available"
)
# Search: the backend ("tantivy", the embedded default, or "postgres"; unset, chosen
# by the database), where the embedded index lives, and whether writes update it.
LANTERN_SEARCH_BACKEND = os.environ.get("LANTERN_SEARCH_BACKEND", "")
LANTERN_SEARCH_DIR = os.environ.get("LANTERN_SEARCH_DIR", "")
LANTERN_SEARCH_AUTO_UPDATE = env_bool("LANTERN_SEARCH_AUTO_UPDATE", True)
# The API's rate limit per client address ("60/m", "1000/h"; empty: no limit).
LANTERN_API_RATE = os.environ.get("LANTERN_API_RATE", "60/m")
# How many reverse proxies stand before the site: the API's rate limit then reads the
# client's address from X-Forwarded-For (unset: the header is not trusted blindly).
if os.environ.get("NINJA_NUM_PROXIES"):
    NINJA_NUM_PROXIES = int(os.environ["NINJA_NUM_PROXIES"])

# The search page's rate limit per client address, like the API's (empty: none).
LANTERN_SEARCH_RATE = os.environ.get("LANTERN_SEARCH_RATE", "120/m")
# Fetching: "host:port" pairs the fetcher may reach although they are private or
# loopback (a test server, an intranet source); every other such address is still
# refused, redirects and DNS answers included.
LANTERN_FETCH_ALLOW = env_list("LANTERN_FETCH_ALLOW", "")

# ------------------------------------------------------------------------ security
# Headers that cost nothing on a laptop are on in every mode (docs/security.md);
# the HTTPS ones only with LANTERN_HTTPS=1, so `lantern serve` keeps working over
# plain http://127.0.0.1.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no page of Lantern uses, switched off for every page (the header is set
# by lantern.core.middleware.SecurityHeadersMiddleware).
LANTERN_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
LANTERN_HTTPS = env_bool("LANTERN_HTTPS")
if LANTERN_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("LANTERN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LANTERN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("LANTERN_HSTS_PRELOAD", True)
    # A load balancer's health check may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("LANTERN_BEHIND_PROXY"):
    # Only behind a proxy that sets this header itself (and strips the client's).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): nothing inline, no scripts or styles from
# elsewhere, no plugins, never framed. Views that need more say so themselves
# (`/api/docs`); archived copies keep their own stricter "sandbox".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Log lines as plain text (the default) or JSON for a log collector; and whether
# every request is logged (method, path, status, duration; on by default with JSON,
# where gunicorn's plain access log would not parse).
LANTERN_LOG_FORMAT = (
    "json" if os.environ.get("LANTERN_LOG_FORMAT") == "json" else "plain"
)
LANTERN_LOG_REQUESTS = env_bool("LANTERN_LOG_REQUESTS", LANTERN_LOG_FORMAT == "json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object a line: timestamp, level, logger, message, and the
        # request's method, path and status where there is one.
        "json": {"()": "lantern.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LANTERN_LOG_FORMAT}
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("LANTERN_LOG_LEVEL", "INFO"),
    },
    # httpx and httpcore log every request at INFO/DEBUG: too much for a checker.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
