from rest_framework.routers import SimpleRouter

from .views import ActivityViewSet, PhaseViewSet, ProgrammeViewSet

router = SimpleRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("phases", PhaseViewSet, basename="phase")
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns = router.urls
