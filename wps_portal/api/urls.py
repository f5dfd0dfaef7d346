"""The REST API v1 (/api/v1/): each app's resources, the root, the schema and its documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .views import APIRootView, SourceDocumentViewSet

app_name = "api"

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

router = SimpleRouter()
router.register("sources", SourceDocumentViewSet, basename="source")

urlpatterns = [
    path("", APIRootView.as_view(resources=RESOURCES), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include("partners.api.urls")),
    path("", include("activities.api.urls")),
    path("", include("casestudies.api.urls")),
    path("", include("networks.api.urls")),
    *router.urls,
]
