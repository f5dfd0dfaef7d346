"""The API's router: DRF's SimpleRouter, plus a path of its own for each export format of a list.

``/api/v1/activities.csv`` is the activities list as CSV (every matching row, streamed): the same
view as ``/api/v1/activities/?format=csv``, but a distinct operation in the OpenAPI schema, with
only its own media type, so a generated client never parses a CSV as JSON.
"""

from django.urls import re_path
from rest_framework.routers import SimpleRouter


def export_urls(prefix: str, make_view, formats, name: str) -> list:
    """``<prefix>.<format>`` for each export format, served by ``make_view(format)``."""
    return [re_path(rf"^{prefix}\.{fmt}$", make_view(fmt), name=f"{name}-{fmt}") for fmt in formats]


class Router(SimpleRouter):
    def get_urls(self):
        urls = super().get_urls()
        for prefix, viewset, basename in self.registry:
            urls += export_urls(
                prefix,
                lambda fmt, viewset=viewset: viewset.as_view({"get": "list"}, export_format=fmt),
                getattr(viewset, "export_formats", ()),
                f"{basename}-list",
            )
        return urls
