"""The activities app's pages: two namespaces, activities and programmes."""

from django.urls import include, path

from . import views

activity_patterns = (
    [
        path("", views.ActivityListView.as_view(), name="list"),
        path("<slug:slug>/", views.ActivityDetailView.as_view(), name="detail"),
    ],
    "activities",
)

programme_patterns = (
    [
        path("", views.ProgrammeListView.as_view(), name="list"),
        path("<slug:slug>/", views.ProgrammeDetailView.as_view(), name="detail"),
    ],
    "programmes",
)

# Included by the site's URLconf (wps_portal/site_urls.py) at the site's root.
urlpatterns = [
    path("programmes/", include(programme_patterns)),
    path("activities/", include(activity_patterns)),
]
