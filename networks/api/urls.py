from django.urls import path

from wps_portal.api.routers import export_urls

from .views import NetworkView

# Included by the API's URLconf (wps_portal/api/urls.py), in its "api" namespace. The GraphML and
# GEXF downloads also have paths of their own (network.graphml, network.gexf): one operation each
# in the schema, so a generated client never parses them as JSON.
urlpatterns = [
    path("network/", NetworkView.as_view(), name="network"),
    *export_urls(
        "network", lambda fmt: NetworkView.as_view(export_format=fmt), NetworkView.export_formats, "network"
    ),
]
