from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CountryViewSet, PartnerViewSet, ReconcileView

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("countries", CountryViewSet, basename="country")

urlpatterns = [path("reconcile/", ReconcileView.as_view(), name="reconcile"), *router.urls]
