from django.urls import path

from . import views

app_name = "networks"

# Included by the site's URLconf (wps_portal/site_urls.py) at the site's root.
urlpatterns = [
    path("network/", views.NetworkView.as_view(), name="network"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("map/", views.map_page, name="map"),
]
