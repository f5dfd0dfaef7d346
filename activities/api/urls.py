from wps_portal.api.routers import Router

from .views import ActivityViewSet, PhaseViewSet, ProgrammeViewSet

router = Router()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("phases", PhaseViewSet, basename="phase")
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns = router.urls
