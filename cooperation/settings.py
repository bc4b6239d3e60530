"""Settings for Cooperation Tracker.

One module, driven by environment variables (see README "Configuration"). The defaults are safe
for production (DEBUG off, HTTPS only); the Quick start turns DEBUG on for local use.

Every variable may instead be read from a file: NAME_FILE=/run/secrets/name (how Docker, Kubernetes
and systemd hand out secrets such as SECRET_KEY, DATABASE_URL or REDIS_URL). A value that cannot be
read (DEBUG=maybe, PAGE_CACHE_SECONDS=soon, an unreadable file) stops start-up with a message that
names it, instead of being taken for a default. Imports no application code: what the apps need
is named by dotted path.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env(name: str, default: str | None = None) -> str | None:
    """The variable's text, from NAME or from the file that NAME_FILE names (without the file's
    final line break)."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return default if value is None else value
    if value is not None:
        raise ImproperlyConfigured(f"Both {name} and {name}_FILE are set: set one of them.")
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"{name}_FILE={path}: the file cannot be read ({error}).") from None


def env_bool(name: str, default: bool) -> bool:
    value = (env(name) or "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS | FALSE_WORDS:
        return value in TRUE_WORDS
    raise ImproperlyConfigured(
        f"{name}={env(name)!r} is neither on nor off: use 1 or 0 (or true/false, yes/no, on/off)."
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = (env(name) or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is too small: it must be at least {minimum}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (env(name) or "").strip().upper() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Placeholder for local use only; `check --deploy` flags it until SECRET_KEY is set.
SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin (its tabs and widgets): a column per language for the content (README "Languages").
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # The rooms of the project (README "Layout"): the domain first, then what builds on it.
    "cooperation.tracker",
    "cooperation.caching",
    "cooperation.staff",
    "cooperation.web",
    "cooperation.reports",
    "cooperation.devdata",
    "cooperation.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer: its header goes on every response of the open-data URLs.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware, except that a page's language is its URL's alone (no Vary: Accept-Language).
    "cooperation.web.locale.URLLanguageMiddleware",
    # After LocaleMiddleware (its key holds the language), before what may set cookies.
    "cooperation.caching.middleware.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Must stay last: it locks out clients after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cooperation.urls"
WSGI_APPLICATION = "cooperation.wsgi.application"

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
            ],
        },
    },
]

# SQLite file by default; DATABASE_URL=postgres://user@host:5432/name for PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_settings(redis_url: str) -> dict:
    """Redis when REDIS_URL is set (shared by every process), else each process's memory. Redis is
    only a cache: while it is down pages are served uncached (cooperation/caching/backends.py), and
    the short timeouts keep a request from waiting long on an unreachable server."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "cooperation.caching.backends.OutageTolerantRedisCache",
            "LOCATION": redis_url,
            "TIMEOUT": env_int("CACHE_TIMEOUT", 60),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


REDIS_URL = env("REDIS_URL", "")
CACHES = cache_settings(REDIS_URL)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("sr", _("Serbian")),
    # Serbian in the Latin script: Django's own catalogue and formats are sr_Latn (locale/sr_Latn/).
    ("sr-latn", _("Serbian (Latin)")),
]
# Ours first (makemessages writes there); then what Django's own catalogues lack that is not ours
# to extract, e.g. the admin's JavaScript in Kazakh (cooperation/thirdparty_locale/README.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "cooperation" / "thirdparty_locale"]
# Dates and numbers per language where Django has none of its own or not ours (cooperation/formats/).
FORMAT_MODULE_PATH = ["cooperation.formats"]
# The content's columns per language (cooperation/tracker/translation.py): English is the original
# and required; a text with no translation falls back to it (shown marked "English only").
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (see README "Production") ---------------------------------------
# Set SECURE_SSL_REDIRECT=0 only behind a TLS-terminating proxy that redirects to HTTPS itself;
# `check --deploy` then no longer warns about it (W008), since HTTPS is the proxy's job.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# No referrer at all to other sites (source links); full path within the site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling: lock a username+IP after AXES_FAILURE_LIMIT failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A page that says why and for how long (HTTP 429) instead of a bare 403.
AXES_LOCKOUT_CALLABLE = "cooperation.staff.lockout.lockout_response"

# --- Application -------------------------------------------------------------
# An open commitment neither reviewed nor made for this many days is "stale" (tracker/models/core.py).
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 180, minimum=1)
# An open commitment whose deadline falls within this many days is "due soon" (tracker/models/core.py);
# the report's headings ("Due in the next 90 days") say it.
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", 90, minimum=1)
# How long each kind of cached entry may live, in seconds; 0 turns that cache off. Every entry is
# keyed on the content version, so a change shows at once anyway: these bound how long a change
# that sends no signal (raw SQL) can go unseen (cooperation/caching/remember.py).
# The overview's and status report's figures: seconds of SQL at 100,000 commitments each.
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 60)
# Whole public pages for anonymous visitors (cooperation/caching/middleware.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
# Row counts of filtered lists and the filter forms' choices.
QUERY_CACHE_SECONDS = env_int("QUERY_CACHE_SECONDS", 60)

# Spreadsheet import/export in the admin (README "Spreadsheet import and export"); the formats
# and the upload storage are the admin's own (staff/admin/base.py, SpreadsheetMixin).
IMPORT_EXPORT_USE_TRANSACTIONS = True  # the whole file in one transaction
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Open data (cooperation/api/, README "Open data") -------------------------------------------
# Anonymous requests a client (by address) may make to /api/ per period: second, minute, hour, day.
API_THROTTLE_RATE = (env("API_THROTTLE_RATE") or "120/minute").strip()
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_THROTTLE_RATE={API_THROTTLE_RATE!r} is not a rate: write requests/period, e.g. 120/minute "
        "(period: second, minute, hour or day)."
    )
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Read-only and anonymous: no session, so no CSRF and no private data.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cooperation.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cooperation Tracker API",
    "DESCRIPTION": (
        "Read-only open data on the Kazakhstan–Serbia relationship: documents, visits, commitments, "
        "organizations, people, sectors, figures and sources. Published records only. Lists take the "
        "parameters of the site's own list pages (q, the filters, sort, page, per_page)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from drf-spectacular-sidecar, served by WhiteNoise (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per vocabulary, wherever it is used.
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "cooperation.tracker.models.DocumentStatus",
        "CommitmentStatusEnum": "cooperation.tracker.models.CommitmentStatus",
        "DatePrecisionEnum": "cooperation.tracker.dates.DatePrecision",
        "FigureBasisEnum": "cooperation.tracker.models.FigureBasis",
    },
}
# Any site's scripts may read the open data (GET only); nothing else is shared.
CORS_URLS_REGEX = r"^/([a-z]{2}(-[a-z]+)?/)?(api|data)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# Where the bulk data package is written, one folder per content version (cooperation/api/datapackage.py).
DATA_PACKAGE_ROOT = Path(env("DATA_PACKAGE_ROOT") or BASE_DIR / "datapackage")
# The licence of the data package and the API's data.
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
}
