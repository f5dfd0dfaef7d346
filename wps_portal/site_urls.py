"""The public HTML site: home, search, sources, and each app's pages under its own namespace."""

from django.urls import include, path

from activities import urls as activities_urls
from casestudies import urls as casestudies_urls
from partners import urls as partners_urls

from . import views

source_patterns = (
    [
        path("", views.SourceListView.as_view(), name="list"),
        path("<slug:key>/", views.source_detail, name="detail"),
    ],
    "sources",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("partners/", include(partners_urls.partner_patterns)),
    path("countries/", include(partners_urls.country_patterns)),
    path("programmes/", include(activities_urls.programme_patterns)),
    path("activities/", include(activities_urls.activity_patterns)),
    path("case-studies/", include(casestudies_urls.casestudy_patterns)),
    path("approaches/", include(casestudies_urls.approach_patterns)),
    path("lessons/", include(casestudies_urls.lesson_patterns)),
    path("sources/", include(source_patterns)),
]
