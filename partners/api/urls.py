from wps_portal.api.routers import Router

from .views import CountryViewSet, PartnerViewSet

router = Router()
router.register("partners", PartnerViewSet, basename="partner")
router.register("countries", CountryViewSet, basename="country")

urlpatterns = router.urls
