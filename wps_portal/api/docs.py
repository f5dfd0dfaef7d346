"""The API's documentation pages (Swagger UI and Redoc, from drf-spectacular-sidecar) load nothing
from another host.

Redoc's bundle draws a "by Redocly" logo from its makers' CDN (the Content-Security-Policy blocks
it, and offline it is a broken request). The bundle is served here with that address pointing to a
file of the portal's own, read once from the installed sidecar package, so an upgrade of the
package brings its new bundle with no copy to keep.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.templatetags.static import static

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
LOCAL_LOGO = "img/api-docs-logo.svg"


@functools.cache
def redoc_bundle_text(logo_url: str) -> str:
    path = finders.find(REDOC_BUNDLE)
    if not path:
        raise Http404("Redoc's bundle is not installed (drf-spectacular-sidecar).")
    return Path(path).read_text(encoding="utf-8").replace(REDOC_CDN_LOGO, logo_url)


def redoc_bundle(request):
    response = HttpResponse(
        redoc_bundle_text(static(LOCAL_LOGO)), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
