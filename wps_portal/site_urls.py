"""The public HTML site: home, search, sources, and each app's pages under its own namespace."""

from django.urls import include, path

from . import views

source_patterns = (
    [
        path("", views.SourceListView.as_view(), name="list"),
        path("<slug:key>/", views.SourceDetailView.as_view(), name="detail"),
    ],
    "sources",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("sources/", include(source_patterns)),
    path("data/", views.data_page, name="data"),
    path("data/<str:version>/<str:name>", views.data_download, name="data-download"),
    # Each app's pages under their paths (/partners/, /countries/, /activities/…), by module name:
    # this lowest layer imports none of the apps.
    path("", include("partners.urls")),
    path("", include("activities.urls")),
    path("", include("casestudies.urls")),
    path("", include("networks.urls")),
]
