"""The partners app's pages: two namespaces, partners and countries."""

from django.urls import path

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
        path("<str:code>/", views.country_detail, name="detail"),
    ],
    "countries",
)
