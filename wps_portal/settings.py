"""Settings for the WPS Portal, read from the environment.

One settings module for every environment: development defaults are safe, production values come
from environment variables. Every variable is listed in the README's "Configuration" table; the
production values are in its "Deploy" section. A malformed value stops the start with a message
naming the variable, never a silent fallback.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from wps_portal import languages
from wps_portal.licence import LICENCE

BASE_DIR = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Reading the environment
# ---------------------------------------------------------------------------------------------
# Booleans accept exactly these spellings (any case); "" means "not set". Anything else, " 1"
# included, is an error: a typo in DEBUG must never turn debugging (and its fallback key) on.
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value.lower() in TRUE_VALUES:
        return True
    if value.lower() in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of "
        f"{', '.join(sorted(TRUE_VALUES))} or {', '.join(sorted(FALSE_VALUES))} (any case)."
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum or value.strip() != value:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number >= {minimum}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# ---------------------------------------------------------------------------------------------
# Core: debug mode, secret key, hosts
# ---------------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)

# The development key is in the repository, so it is only ever used with DEBUG really on.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-only-used-when-DEBUG-is-on"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be set (to a private value) when DEBUG is off.")
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    # Translated content (casestudies/translation.py); before the admin, whose forms it patches.
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
    "rest_framework",
    "knox",  # API tokens, stored hashed and expiring (see "Security" below)
    "axes",  # login lockout (see "Security" below)
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "simple_history",
    "import_export",
    # The portal's own layers, lowest first: wps_portal <- partners <- activities <- casestudies <- networks.
    "wps_portal",
    "partners",
    "activities",
    "casestudies",
    "networks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that reads the database: a request that writes, curates or is signed in
    # reads from the primary (only matters with DATABASE_REPLICA_URLS).
    "wps_portal.db_routing.PrimaryPinningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the URL's prefix, else ?lang= (API), else the language cookie, else
    # Accept-Language (after sessions, before CommonMiddleware's redirects).
    "wps_portal.i18n.LanguageMiddleware",
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
                "wps_portal.licence.licence_context",
                "wps_portal.i18n.language_context",
            ],
        },
    },
]

WSGI_APPLICATION = "wps_portal.wsgi.application"

# ---------------------------------------------------------------------------------------------
# Databases: one primary (DATABASE_URL) and optional read replicas (DATABASE_REPLICA_URLS)
# ---------------------------------------------------------------------------------------------
# Persistent connections save a connect per request; health checks drop one the server closed.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
# Anonymous GET/HEAD requests read from a replica; writes, reads inside a write, the admin and
# signed-in users use the primary (wps_portal/db_routing.py).
REPLICA_DATABASES = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    REPLICA_DATABASES.append(_alias)
DATABASE_ROUTERS = ["wps_portal.db_routing.ReplicaRouter"] if REPLICA_DATABASES else []
# PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost before running it:
# a broad search's candidate query (estimated at 800,000 for its bitmap scans) spent 1.3 s
# compiling to run in 80 ms. A web request's queries are short, so the portal's connections turn
# JIT off; POSTGRES_JIT=1 leaves the server's setting.
if os.environ.get("POSTGRES_JIT", "") != "1":
    for _config in DATABASES.values():
        if _config["ENGINE"].endswith("postgresql"):
            _options = _config.setdefault("OPTIONS", {})
            _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages (wps_portal/languages.py): English, and each of Albanian, Serbian (Cyrillic and Latin)
# and Bosnian once its catalogue under locale/ is complete. The public pages of a language other
# than English live under its prefix (/sq/partners/); English keeps the unprefixed URLs. The API
# answers in the language of Accept-Language or ?lang=.
LANGUAGE_CODE = "en"
LANGUAGES = languages.languages()
LOCALE_PATHS = [languages.LOCALE_DIR]
# Dates at the portal's precisions in each language's own order ("15 June 2010", "јун 2010.").
FORMAT_MODULE_PATH = ["wps_portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Translated content (django-modeltranslation): one column per field and language of the full list,
# whatever catalogues are compiled, so the columns and migrations never depend on settings.LANGUAGES.
# A text with no translation reads in English.
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in languages.ALL_LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = languages.SOURCE_LANGUAGE
MODELTRANSLATION_FALLBACK_LANGUAGES = (languages.SOURCE_LANGUAGE,)

# ---------------------------------------------------------------------------------------------
# Static files (whitenoise)
# ---------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# With DEBUG off (`make serve`, which runs collectstatic first) files get content-hashed names,
# compressed copies and far-future caching (whitenoise marks hashed names immutable). With DEBUG
# on, and in the test suite (STATIC_MANIFEST=0 in pyproject.toml), they are served unhashed
# straight from the app folders, so no collectstatic is needed. Chosen here, never guessed from
# whether a manifest happens to exist: only the manifest storage writes one.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# ---------------------------------------------------------------------------------------------
# The corpus and the API
# ---------------------------------------------------------------------------------------------
# Where the corpus (fixtures/) and the source documents live.
CORPUS_DIR = Path(os.environ.get("CORPUS_DIR", BASE_DIR / "fixtures"))
SOURCES_DIR = Path(os.environ.get("SOURCES_DIR", BASE_DIR.parent / "shared" / "sources"))
# Where whole-dataset releases are built (build_release's default output, and the cache /data/
# serves from; wps_portal.releases). Git-ignored; anything in it can be deleted and is rebuilt.
RELEASES_DIR = Path(os.environ.get("RELEASES_DIR", BASE_DIR / "releases"))
# The portal's public address (https://…), for links in files built without a request: a
# release's homepage, source links and CITATION.cff url. Empty: those links are left out.
SITE_URL = os.environ.get("SITE_URL", "").strip()

# Bulk import in the admin (django-import-export; see wps_portal/imports.py): each import runs in
# one transaction, rolled back when any row is invalid. Who may import: ImportAdminMixin.
IMPORT_EXPORT_USE_TRANSACTIONS = True

API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")
# The number of proxies in front of the app (README, "Deploy"); 0 = the client's own address.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# Search: above this many candidate matches the search page's answer is bounded (the best
# candidates ranked, complete matches counted; wps_portal.search.engine). The corpus is far below.
SEARCH_EXACT_LIMIT = env_int("SEARCH_EXACT_LIMIT", 2000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    # JSON encoded by orjson (DRF's JSON, faster: wps_portal/api/renderers.py), and the browsable API.
    "DEFAULT_RENDERER_CLASSES": [
        "wps_portal.api.renderers.JSONRenderer",
        "wps_portal.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "wps_portal.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["wps_portal.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wps_portal.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": []
    if API_ANON_RATE.lower() == "none"
    else ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": None if API_ANON_RATE.lower() == "none" else API_ANON_RATE},
    # How many proxies in front append to X-Forwarded-For; 0 ignores the header, so a client
    # cannot pick its own throttle key (see "HTTPS and proxies" below).
    "NUM_PROXIES": NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "WPS Portal API",
    "DESCRIPTION": (
        "Partners, programmes, activities, case studies and lessons of the UNIFEM / UN Women "
        "women, peace and security (UNSCR 1325) work in the Western Balkans, each record with "
        "its citations."
    ),
    "VERSION": "1.0.0",
    # The portal's data licence (wps_portal.licence, the one definition), in the schema's info.
    "LICENSE": {"name": LICENCE["title"], "url": LICENCE["url"]},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests name related records by key (a string); responses show them as objects.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wps_portal.api.schema.every_response_field_required",
    ],
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

# ---------------------------------------------------------------------------------------------
# Cache and sessions: Redis when REDIS_URL is set, shared by every worker and server
# ---------------------------------------------------------------------------------------------
# Throttle counts and any cached page data live here, so they must be shared: with the per-process
# LocMem fallback each gunicorn worker counts on its own. Without REDIS_URL (`make run`, tests)
# nothing but Python is needed. Everything cached can be recomputed or done without, so a Redis
# outage slows the portal and lifts the API's rate limit but fails no request
# (wps_portal/cache_backend.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "wps")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "wps_portal.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A Redis that stops answering fails a request in seconds instead of hanging a thread.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis and written through to the database, so a Redis restart
    # signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------------------------
# HTTPS and proxies (production values: README, "Deploy")
# ---------------------------------------------------------------------------------------------
# Off by default so `make serve` works over plain HTTP on 127.0.0.1; behind a TLS proxy the
# operator turns them on, and `check --deploy --fail-level WARNING` is clean with those values.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# "HTTP_X_FORWARDED_PROTO,https": trust this header (set by the proxy) to mean the request came
# over HTTPS. Only safe when the proxy always sets or strips it.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    _header, _, _value = _proxy_ssl_header.partition(",")
    if not _header.startswith("HTTP_") or not _value or "," in _value:
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={_proxy_ssl_header!r}: expected 'HTTP_HEADER_NAME,value', "
            "e.g. 'HTTP_X_FORWARDED_PROTO,https'."
        )
    SECURE_PROXY_SSL_HEADER = (_header, _value)
# NUM_PROXIES is read above, with the API settings.

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# After signing in (the admin is the only sign-in), and when a `next` is refused as unsafe: the
# admin index, not Django's default /accounts/profile/ which this site does not have.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"


# ==== Security (prod-security) ===================================================================
# Content-Security-Policy, login lockout, API tokens and their failed-attempt throttle, request body
# limits, hostile characters, one committed state per request. The README's Security section says
# what each does; every limit can be set from the environment.
from csp.constants import NONE, SELF  # noqa: E402


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
