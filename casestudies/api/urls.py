from wps_portal.api.routers import Router

from .views import ApproachViewSet, CaseStudyViewSet, IssueBoxViewSet, LessonViewSet

router = Router()
router.register("case-studies", CaseStudyViewSet, basename="casestudy")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("approaches", ApproachViewSet, basename="approach")
router.register("issue-boxes", IssueBoxViewSet, basename="issuebox")

urlpatterns = router.urls
