"""Deploy checks of the portal's own (`manage.py check --deploy`), beside Django's."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: each gunicorn worker keeps its own cache, so the API throttle "
            "counts per process (two workers let twice the rate through).",
            hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0 (README, Deploy).",
            id="wps_portal.W001",
        )
    ]


@register(Tags.database, deploy=True)
def check_production_database(app_configs, **kwargs):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    return [
        Warning(
            "The database is SQLite: one file on one machine, with writes serialised; the "
            "production store is PostgreSQL.",
            hint="Set DATABASE_URL=postgres://user@host:5432/name (README, Deploy).",
            id="wps_portal.W002",
        )
    ]
