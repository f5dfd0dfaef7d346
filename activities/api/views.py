from wps_portal.api.views import BaseViewSet

from ..filtersets import ActivityFilterSet, PhaseFilterSet, ProgrammeFilterSet
from ..models import Activity, Phase, Programme
from .serializers import ActivitySerializer, PhaseSerializer, ProgrammeSerializer


class ProgrammeViewSet(BaseViewSet):
    """Programmes and projects, with their phases and thematic areas."""

    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    csv_filename = "programmes"


class PhaseViewSet(BaseViewSet):
    """The phases of the published programmes."""

    queryset = Phase.objects.all()
    serializer_class = PhaseSerializer
    filterset_class = PhaseFilterSet
    csv_filename = "phases"


class ActivityViewSet(BaseViewSet):
    """Activities: monitoring reports, dialogues, trainings, campaigns… with who took part."""

    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    csv_filename = "activities"
