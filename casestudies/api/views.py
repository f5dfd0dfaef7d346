from wps_portal.api.views import BaseViewSet

from ..filtersets import ApproachFilterSet, CaseStudyFilterSet, IssueBoxFilterSet, LessonFilterSet
from ..models import Approach, CaseStudy, IssueBox, Lesson
from .serializers import ApproachSerializer, CaseStudySerializer, IssueBoxSerializer, LessonSerializer


class CaseStudyViewSet(BaseViewSet):
    """The report's case studies, with results, lessons, partners and approaches."""

    queryset = CaseStudy.objects.all()
    serializer_class = CaseStudySerializer
    filterset_class = CaseStudyFilterSet
    csv_filename = "case-studies"


class LessonViewSet(BaseViewSet):
    """Lessons learned, each from one case study or one approach."""

    queryset = Lesson.objects.all()
    serializer_class = LessonSerializer
    filterset_class = LessonFilterSet
    csv_filename = "lessons"


class ApproachViewSet(BaseViewSet):
    """Partner-identification strategies and the report's seven networking approaches."""

    queryset = Approach.objects.all()
    serializer_class = ApproachSerializer
    filterset_class = ApproachFilterSet
    csv_filename = "approaches"


class IssueBoxViewSet(BaseViewSet):
    """The report's boxed discussions, each after the approach it belongs to."""

    queryset = IssueBox.objects.all()
    serializer_class = IssueBoxSerializer
    filterset_class = IssueBoxFilterSet
    csv_filename = "issue-boxes"
