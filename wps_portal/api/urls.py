"""The REST API v1 (/api/v1/): each app's resources, the root, the schema and its documentation."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from .docs import redoc_bundle
from .routers import Router
from .views import APIRootView, SchemaView, SourceDocumentViewSet

app_name = "api"

# Swagger UI and Redoc set styles from their scripts (element styles, Redoc's styled-components),
# which a nonce cannot cover, and Redoc parses the schema in a web worker started from a blob: URL.
# Scripts stay 'self' only.
docs_policy = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"], "img-src": ["blob:"]})

# (name in the root, route basename), in the order the root lists them.
RESOURCES = (
    ("partners", "partner"),
    ("countries", "country"),
    ("programmes", "programme"),
    ("phases", "phase"),
    ("activities", "activity"),
    ("case-studies", "casestudy"),
    ("lessons", "lesson"),
    ("approaches", "approach"),
    ("issue-boxes", "issuebox"),
    ("sources", "source"),
)

router = Router()
router.register("sources", SourceDocumentViewSet, basename="source")

urlpatterns = [
    path("", APIRootView.as_view(resources=RESOURCES), name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline: the
    # Content-Security-Policy allows no inline script.
    path("docs/", docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="swagger-ui"),
    path("redoc/", docs_policy(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    path("", include("partners.api.urls")),
    path("", include("activities.api.urls")),
    path("", include("casestudies.api.urls")),
    path("", include("networks.api.urls")),
    *router.urls,
]
