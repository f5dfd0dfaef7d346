from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.decorators import action

from wps_portal.api.renderers import JSONRenderer
from wps_portal.api.views import BaseViewSet

from .. import iati
from ..filtersets import ActivityFilterSet, PhaseFilterSet, ProgrammeFilterSet
from ..models import Activity, Phase, Programme
from .serializers import ActivitySerializer, PhaseSerializer, ProgrammeSerializer


class IATIRenderer(renderers.BaseRenderer):
    """IATI activity XML (2.03): the activities list's export format (``/api/v1/activities.iati``
    or ``?format=iati``) and each record's ``…/<key>/iati/``. The views build the document
    (activities.iati); errors reach this renderer only to be rendered as JSON."""

    media_type = iati.MEDIA_TYPE
    format = "iati"
    charset = "utf-8"
    export_description = (
        "The matching published activities (every page, the list's filters applied) and their"
        " programmes as IATI activity XML (IATI Standard 2.03), streamed; the programme is the"
        " parent activity of its activities. Drafts never appear, whoever asks."
    )

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


IATI_RESPONSE = OpenApiResponse(
    OpenApiTypes.BINARY,
    description="IATI activity XML (IATI Standard 2.03): ?format=iati, or GET …/iati/.",
)


class IATIMixin:
    """IATI XML of one published record at ``…/<key>/iati/`` (URL name ``api:<basename>-iati``),
    an operation of its own, like the lists' exports (the record's JSON operation stays JSON)."""

    def get_renderers(self):
        if getattr(self, "action", None) == "iati":
            return [IATIRenderer(), JSONRenderer()]
        return super().get_renderers()

    def _url(self, path):
        return self.request.build_absolute_uri(path)

    def _published_one(self):
        """The record by its key among the published ones: a draft is a 404 even to a curator
        (IATI files are published data)."""
        key = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        record = self.get_serializer_class().Meta.model.objects.published().filter(slug=key).first()
        if record is None:
            raise Http404(_("No published record with the key %(key)s.") % {"key": key})
        return record

    def iati_document(self, programmes, activities, filename, stream=False):
        if stream:
            body = iati.stream(programmes, activities, self._url)
            response = StreamingHttpResponse(body, content_type=f"{iati.MEDIA_TYPE}; charset=utf-8")
        else:
            response = HttpResponse(
                iati.document(programmes, activities, self._url),
                content_type=f"{iati.MEDIA_TYPE}; charset=utf-8",
            )
        response["Content-Disposition"] = f'inline; filename="{filename}.iati.xml"'
        return response

    @extend_schema(responses={(200, iati.MEDIA_TYPE): IATI_RESPONSE}, filters=False, parameters=[])
    @action(detail=True, methods=["get"], url_path="iati", renderer_classes=[IATIRenderer, JSONRenderer])
    def iati(self, request, *args, **kwargs):
        """The record as IATI activity XML (IATI Standard 2.03)."""
        return self.record_iati(self._published_one())


class ProgrammeViewSet(IATIMixin, BaseViewSet):
    """Programmes and projects, with their phases and thematic areas.

    `/programmes/<slug>/iati/`: the programme and its published activities as IATI activity XML
    (2.03), the programme the parent of the activities."""

    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    csv_filename = "programmes"

    def record_iati(self, programme):
        programmes = iati.programmes_for_iati(Programme.objects.filter(pk=programme.pk))
        activities = iati.activities_for_iati(Activity.objects.filter(programme=programme))
        return self.iati_document(programmes, activities, f"programme-{programme.slug}")


class PhaseViewSet(BaseViewSet):
    """The phases of the published programmes."""

    queryset = Phase.objects.all()
    serializer_class = PhaseSerializer
    filterset_class = PhaseFilterSet
    csv_filename = "phases"


class ActivityViewSet(IATIMixin, BaseViewSet):
    """Activities: monitoring reports, dialogues, trainings, campaigns… with who took part.

    `/activities.iati` (or `?format=iati`): the matching published activities (every page, the
    list's filters applied) and their programmes as IATI activity XML (2.03);
    `/activities/<slug>/iati/`: that activity."""

    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    csv_filename = "activities"
    renderer_classes = [*BaseViewSet.renderer_classes, IATIRenderer]
    export_formats = (*BaseViewSet.export_formats, "iati")

    def export_iati(self, _queryset):
        # The list's filters over the published activities only, whoever asks.
        matching = self.filter_queryset(Activity.objects.published()).values("pk")
        activities = iati.activities_for_iati(Activity.objects.filter(pk__in=matching))
        programmes = iati.programmes_for_iati(
            Programme.objects.filter(pk__in=Activity.objects.filter(pk__in=matching).values("programme_id"))
        )
        return self.iati_document(programmes, activities, "activities", stream=True)

    def record_iati(self, activity):
        activities = iati.activities_for_iati(Activity.objects.filter(pk=activity.pk))
        return self.iati_document(Programme.objects.none(), activities, f"activity-{activity.slug}")
