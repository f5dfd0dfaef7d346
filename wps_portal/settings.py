"""Settings for the WPS Portal, read from the environment.

One settings module for every environment: development defaults are safe, production values come
from environment variables (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, API_ANON_RATE).
"""

import os
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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "import_export",
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

# Bulk import in the admin (django-import-export; see wps_portal/imports.py): each import runs in
# one transaction, rolled back when any row is invalid. Who may import: ImportAdminMixin.
IMPORT_EXPORT_USE_TRANSACTIONS = True

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
