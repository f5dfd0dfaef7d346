from django.apps import AppConfig


class WpsPortalConfig(AppConfig):
    name = "wps_portal"
    verbose_name = "Portal core: sources and citations"

    def ready(self):
        from . import (
            cache,
            checks,  # noqa: F401 - registers the deploy checks
        )

        cache.connect()
