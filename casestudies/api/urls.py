from rest_framework.routers import SimpleRouter

from .views import ApproachViewSet, CaseStudyViewSet, IssueBoxViewSet, LessonViewSet

router = SimpleRouter()
router.register("case-studies", CaseStudyViewSet, basename="casestudy")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("approaches", ApproachViewSet, basename="approach")
router.register("issue-boxes", IssueBoxViewSet, basename="issuebox")

urlpatterns = router.urls
