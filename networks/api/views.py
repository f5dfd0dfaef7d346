from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from partners.models import Partner
from wps_portal.api.filters import FilterBackend
from wps_portal.api.renderers import BrowsableAPIRenderer, JSONRenderer
from wps_portal.api.views import ExportFormatsMixin

from .. import exports
from ..filtersets import NetworkFilterSet
from ..graph import network_for
from .serializers import NetworkSerializer


class GraphMLRenderer(renderers.BaseRenderer):
    media_type = "application/graphml+xml"
    format = "graphml"
    charset = "utf-8"
    export_description = "The same graph as GraphML (nodes and edges with their attributes)."

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class GEXFRenderer(GraphMLRenderer):
    media_type = "application/gexf+xml"
    format = "gexf"
    export_description = "The same graph as GEXF, its edges dated by their records."


EXPORTS = {"graphml": (exports.graphml, "network.graphml"), "gexf": (exports.gexf, "network.gexf")}


class NetworkView(ExportFormatsMixin, GenericAPIView):
    """The partner network: nodes (published partners with their metrics), edges (relations,
    units, and co-participation in activities and case studies, weighted by the records shared),
    the records the edges stand for, components, and the links across borders and sectors.

    The partners are those the partners list gives for the same filters; `programme`, `phase`,
    `approach` and the years also select the activities and case studies that link them, and
    `role` the participations that count. `/api/v1/network.graphml` and `/api/v1/network.gexf`
    (dated edges), or `?format=graphml` and `?format=gexf`, download the same graph."""

    queryset = Partner.objects.published()
    filterset_class = NetworkFilterSet
    filter_backends = [FilterBackend]
    serializer_class = NetworkSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    export_formats = tuple(EXPORTS)
    renderer_classes = [
        JSONRenderer,
        BrowsableAPIRenderer,
        GraphMLRenderer,
        GEXFRenderer,
    ]

    @extend_schema(filters=True, responses={200: NetworkSerializer})
    def get(self, request, *args, **kwargs):
        filterset = NetworkFilterSet(data=request.query_params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        network, _filterset = network_for(request.query_params, filterset=filterset)
        fmt = request.accepted_renderer.format
        if fmt in EXPORTS:
            write, filename = EXPORTS[fmt]
            response = HttpResponse(write(network), content_type=request.accepted_renderer.media_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return Response(network.as_dict())

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors are JSON whatever format was asked for (as on every other resource).
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and isinstance(response.accepted_renderer, GraphMLRenderer)
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            value = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE, "")
            message = _("%(value)s is not a format; allowed: %(allowed)s.") % {
                "value": value,
                "allowed": "json, graphml, gexf",
            }
            raise ValidationError({"format": [message]}) from None
