from rest_framework.routers import SimpleRouter

from .views import CountryViewSet, PartnerViewSet

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("countries", CountryViewSet, basename="country")

urlpatterns = router.urls
