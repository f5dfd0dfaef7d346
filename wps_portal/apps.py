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

        from . import linked_data

        linked_data._register_sources()
        linked_data.discover()  # each app's linked_data.py: how its records are described
