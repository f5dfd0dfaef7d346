from django.urls import path

from wps_portal.api.routers import Router

from .views import CountryViewSet, PartnerViewSet, ReconcileView

router = Router()
router.register("partners", PartnerViewSet, basename="partner")
router.register("countries", CountryViewSet, basename="country")

urlpatterns = [path("reconcile/", ReconcileView.as_view(), name="reconcile"), *router.urls]
