"""The partners app's pages: two namespaces, partners and countries."""

from django.urls import include, path

from . import views

partner_patterns = (
    [
        path("", views.PartnerListView.as_view(), name="list"),
        path("<slug:slug>/", views.PartnerDetailView.as_view(), name="detail"),
    ],
    "partners",
)

country_patterns = (
    [
        path("", views.CountryListView.as_view(), name="list"),
        path("<str:code>/", views.CountryDetailView.as_view(), name="detail"),
    ],
    "countries",
)

# Included by the site's URLconf (wps_portal/site_urls.py) at the site's root.
urlpatterns = [
    path("partners/", include(partner_patterns)),
    path("countries/", include(country_patterns)),
]
