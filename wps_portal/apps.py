from django.apps import AppConfig


class WpsPortalConfig(AppConfig):
    name = "wps_portal"
    verbose_name = "Portal core: sources and citations"

    def ready(self):
        from . import cache

        cache.connect()
