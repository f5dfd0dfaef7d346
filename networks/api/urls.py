from django.urls import path

from .views import NetworkView

# Included by the API's URLconf (wps_portal/api/urls.py), in its "api" namespace.
urlpatterns = [path("network/", NetworkView.as_view(), name="network")]
