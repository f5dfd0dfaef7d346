from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from wps_portal.api.renderers import JSONRenderer
from wps_portal.api.views import BaseReadOnlyViewSet, BaseViewSet

from .. import reconcile
from ..filtersets import CountryFilterSet, PartnerFilterSet
from ..models import Country, Partner
from .serializers import CountrySerializer, PartnerSerializer


class PartnerViewSet(BaseViewSet):
    """Organisations, networks, institutions, agencies, offices, missions and bodies."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    csv_filename = "partners"


class CountryViewSet(BaseReadOnlyViewSet):
    """Countries and territories, by ISO 3166-1 alpha-2 code (XK: Kosovo)."""

    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = CountryFilterSet
    lookup_field = "code"
    csv_filename = "countries"


QUERIES_DESCRIPTION = (
    "A batch of reconciliation queries (W3C Entity Reconciliation API 0.2), JSON: "
    '{"q0": {"query": "Kosovo Women\'s Network", "type": "womens-ngo", "limit": 3, '
    '"properties": [{"pid": "country", "v": "XK"}]}}. Without it, the service manifest. '
    "type: a partner kind or `partner` (any); properties: `country` (ISO code or name), "
    "`acronym`; a constraint met adds to the score."
)
CANDIDATE = {
    "type": "object",
    "required": ["id", "name", "score", "match", "type"],
    "properties": {
        "id": {"type": "string", "description": "The partner's slug (its page: view.url)."},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "score": {"type": "number", "minimum": 0, "maximum": 100},
        "match": {"type": "boolean"},
        "type": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
        },
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "value": {"type": "boolean"}},
            },
        },
    },
}
MANIFEST = {
    "type": "object",
    "title": "Manifest",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}},
        "name": {"type": "string"},
        "identifierSpace": {"type": "string"},
        "schemaSpace": {"type": "string"},
        "documentation": {"type": "string"},
        "defaultTypes": {"type": "array", "items": {"type": "object"}},
        "view": {"type": "object", "properties": {"url": {"type": "string"}}},
    },
}
RESULTS = {
    "type": "object",
    "title": "Results",
    "additionalProperties": {
        "type": "object",
        "required": ["result"],
        "properties": {"result": {"type": "array", "items": CANDIDATE}},
    },
}
RECONCILE_RESPONSES = {
    (200, "application/json"): OpenApiResponse(
        {"oneOf": [MANIFEST, RESULTS]},
        description="The manifest (no `queries`), or each query id with its ranked candidates.",
    ),
    (400, "application/json"): OpenApiResponse(
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        description="`queries` is not a batch of valid queries; the message names the query and key.",
    ),
}


class ReconcileView(APIView):
    """Reconciliation of organisation names against the portal's partners (W3C Entity
    Reconciliation API 0.2, OpenRefine): add this URL as a reconciliation service in OpenRefine.

    GET without `queries`: the service manifest. `queries` (GET parameter, or a POST form field):
    a JSON batch of queries; each query id gets `result`, its candidate partners ranked, with
    `score` (0–100) and `match`. Names are matched by the portal's search (any spelling or
    script it handles: accents, Cyrillic, acronyms, aliases)."""

    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="reconcile",
        parameters=[OpenApiParameter("queries", OpenApiTypes.STR, description=QUERIES_DESCRIPTION)],
        responses=RECONCILE_RESPONSES,
    )
    def get(self, request):
        return self.answer(request, request.query_params)

    @extend_schema(
        operation_id="reconcile_batch",
        request={
            "application/x-www-form-urlencoded": {
                "type": "object",
                "required": ["queries"],
                "properties": {"queries": {"type": "string", "description": QUERIES_DESCRIPTION}},
            }
        },
        responses=RECONCILE_RESPONSES,
    )
    def post(self, request):
        return self.answer(request, request.data)

    def answer(self, request, params):
        for name in ("extend", "callback"):
            if name in params:
                raise ValidationError({name: [_("Not supported by this service.")]})
        raw = params.get("queries")
        if raw is None:
            return Response(reconcile.manifest(request.build_absolute_uri))
        try:
            queries = reconcile.parse(raw)
        except reconcile.BadQuery as error:
            raise ValidationError({"queries": [str(error)]}) from None
        return Response(reconcile.reconcile(queries))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # OpenRefine's page in the browser reads the manifest from another origin. Reads are public.
        response["Access-Control-Allow-Origin"] = "*"
        return response
