"""Settings for the WPS Portal, read from the environment.

One settings module for every environment: development defaults are safe, production values come
from environment variables (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, API_ANON_RATE).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",  # API tokens, stored hashed and expiring (see "Security" below)
    "axes",  # login lockout (see "Security" below)
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    # The portal's own layers, lowest first: wps_portal <- partners <- activities <- casestudies.
    "wps_portal",
    "partners",
    "activities",
    "casestudies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wps_portal.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "wps_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# After `collectstatic` (a production deploy) files are served under hashed names with far-future
# caching; before it (development, tests, `make run`) whitenoise serves them from the finders.
_MANIFEST = (STATIC_ROOT / "staticfiles.json").exists()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Tests and `make run` serve static files straight from the finders, without collectstatic.
WHITENOISE_USE_FINDERS = not _MANIFEST

# Where the corpus (fixtures/) and the source documents live.
CORPUS_DIR = Path(os.environ.get("CORPUS_DIR", BASE_DIR / "fixtures"))
SOURCES_DIR = Path(os.environ.get("SOURCES_DIR", BASE_DIR.parent / "shared" / "sources"))

API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_SCHEMA_CLASS": "wps_portal.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["wps_portal.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wps_portal.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": []
    if API_ANON_RATE.lower() == "none"
    else ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": None if API_ANON_RATE.lower() == "none" else API_ANON_RATE},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "WPS Portal API",
    "DESCRIPTION": (
        "Partners, programmes, activities, case studies and lessons of the UNIFEM / UN Women "
        "women, peace and security (UNSCR 1325) work in the Western Balkans, each record with "
        "its citations."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests name related records by key (a string); responses show them as objects.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "partners.choices.PartnerKind",
        "ScopeEnum": "partners.choices.Scope",
        "RoleEnum": "partners.choices.Role",
        "ActivityTypeEnum": "activities.choices.ActivityType",
        "SectionEnum": "casestudies.choices.Section",
        "ApproachKindEnum": "casestudies.choices.ApproachKind",
        "StatusEnum": "wps_portal.choices.Status",
        "DatePrecisionEnum": "wps_portal.choices.DatePrecision",
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"


# ==== Security (prod-security) ===================================================================
# Content-Security-Policy, login lockout, API tokens and their failed-attempt throttle, request body
# limits, hostile characters, one committed state per request. The README's Security section says
# what each does; every limit can be set from the environment.
from csp.constants import NONE, SELF  # noqa: E402


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def _insert_middleware(after: str, *names: str) -> None:
    index = MIDDLEWARE.index(after) + 1
    MIDDLEWARE[index:index] = names


# NUL in a path or query value: 404/400 before anything (whitenoise included) looks at it.
_insert_middleware(
    "django.middleware.security.SecurityMiddleware", "wps_portal.security.HostileInputMiddleware"
)
# Every response gets the policy, static files excepted (they are not documents).
_insert_middleware("whitenoise.middleware.WhiteNoiseMiddleware", "csp.middleware.CSPMiddleware")
# One transaction per request, REPEATABLE READ for reads on PostgreSQL (replaces ATOMIC_REQUESTS,
# which would leave templates and streamed bodies outside the transaction: see the middleware).
_insert_middleware(
    "django.contrib.sessions.middleware.SessionMiddleware", "wps_portal.security.ConsistentReadMiddleware"
)
# Oversized bodies refused from Content-Length, before CSRF or a form reads them; needs request.user.
_insert_middleware(
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wps_portal.security.RequestBodyLimitMiddleware",
)
# django-axes turns a locked-out login into the lockout page; it must come last.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# -- Content-Security-Policy (django-csp 4) --
# Nothing inline, nothing from another host. The API docs (Swagger UI, Redoc) add what their
# bundles need for styles and Redoc's web worker, in wps_portal/api/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if os.environ.get("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = os.environ["CSP_REPORT_URI"]

# -- Login lockout (django-axes) --
# After LOGIN_FAILURE_LIMIT failed admin sign-ins from one address, or for one username, further
# sign-ins are refused (the right password too) for LOGIN_COOLOFF_MINUTES; `manage.py axes_reset`
# (or axes_reset_username / axes_reset_ip) lifts the lock at once. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "wps_portal.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15)) or None
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "wps_portal.security.client_ip"
AXES_VERBOSE = False
# Where a sign-in goes when its ?next= is refused (another host) or absent: the admin, not Django's
# default /accounts/profile/, which the portal does not have.
LOGIN_REDIRECT_URL = "admin:index"

# -- API tokens (django-rest-knox) and the failed-token throttle --
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS) if API_TOKEN_DAYS else None,
    "AUTH_HEADER_PREFIX": "Token",
}
FAILED_TOKEN_RATE = os.environ.get("FAILED_TOKEN_RATE", "10/min")
if FAILED_TOKEN_RATE.lower() == "none":
    FAILED_TOKEN_RATE = None
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "wps_portal.api.auth.TokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["wps_portal.api.parsers.JSONParser"]

# -- Bounded requests --
# Bodies larger than these are refused from their Content-Length before they are read (413,
# wps_portal.security.RequestBodyLimitMiddleware). Anonymous clients may send a login form and no
# more, far below FILE_UPLOAD_MAX_MEMORY_SIZE, so no anonymous upload is ever spooled to disk.
MAX_BODY_ANONYMOUS = env_int("MAX_BODY_ANONYMOUS", 16 * 1024)
MAX_BODY_API = env_int("MAX_BODY_API", 1024 * 1024)
MAX_BODY_AUTHENTICATED = env_int("MAX_BODY_AUTHENTICATED", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_AUTHENTICATED
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_AUTHENTICATED
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000  # the admin's largest change form with inlines is far below
DATA_UPLOAD_MAX_NUMBER_FILES = 10
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 20)
# ==== end of Security ============================================================================
