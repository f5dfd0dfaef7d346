"""The base API viewset: published records, the resource's FilterSet, ?fields/omit/brief with
eager loading of just what those fields need, CSV lists, ETag / 304, and the API root."""

from __future__ import annotations

from collections import OrderedDict

from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from wps_portal import services
from wps_portal.filtersets import SourceDocumentFilterSet, split_values
from wps_portal.licence import LICENCE
from wps_portal.models import SourceDocument, may_preview, public_records
from wps_portal.services import Via

from .export import csv_response
from .filters import FilterBackend
from .pagination import PageNumberPagination
from .renderers import BrowsableAPIRenderer, CSVRenderer, JSONRenderer
from .serializers import SourceDocumentSerializer, represent

TRUE = {"1", "true", "yes", "on"}
FALSE = {"", "0", "false", "no", "off"}


def flag(request, name) -> bool:
    """A yes/no query parameter (absent: no); any other value is a 400 naming it."""
    value = request.query_params.get(name, "").lower()
    if value not in TRUE | FALSE:
        raise ValidationError(
            {name: [_("%(value)s is not allowed; allowed: 1 or 0 (true or false).") % {"value": value}]}
        )
    return value in TRUE


def split_param(request, name) -> list[str]:
    """?fields=a,b&fields=c -> [a, b, c]"""
    return split_values(request.query_params.getlist(name))


class ExportFormatsMixin:
    """Formats other than JSON, each at a path of its own (``<path>.<format>``, see
    ``routers.export_urls``) as well as with ``?format=``: the path's view is made with
    ``as_view(export_format=…)``, which chooses the renderer as a format suffix would, and the
    schema documents it as an operation of its own (``schema.AutoSchema``)."""

    export_formats: tuple[str, ...] = ()
    export_format: str | None = None  # set on an export path's view (as_view initkwarg)

    def get_format_suffix(self, **kwargs):
        return self.export_format or super().get_format_suffix(**kwargs)


class BaseReadOnlyViewSet(ExportFormatsMixin, viewsets.ReadOnlyModelViewSet):
    """A resource's list and detail."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    filter_backends = [FilterBackend]
    pagination_class = PageNumberPagination
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]
    csv_filename = "records"

    # -- records ------------------------------------------------------------------------------

    def base_queryset(self):
        """What the public may see; curators who may view the model also see drafts."""
        model = self.get_serializer_class().Meta.model
        if may_preview(self.request.user, model):  # the site's rule too (PublicQuerySet.visible_to)
            return model._default_manager.all()
        return public_records(model)

    def get_queryset(self):
        queryset = self.base_queryset()
        if self.request.method in ("GET", "HEAD"):
            return self.get_serializer_class().eager_load(queryset, self.requested_fields())
        return self.get_serializer_class().eager_load(queryset)

    # -- ?fields= ?omit= ?brief= ----------------------------------------------------------------

    def requested_fields(self) -> list[str] | None:
        """The field names asked for (None: all), in the serializer's order; 400 on an unknown one."""
        if getattr(self, "_requested_fields", False) is not False:
            return self._requested_fields
        serializer_class = self.get_serializer_class()
        available = serializer_class.field_names()
        chosen = None
        if self.request.method in ("GET", "HEAD"):
            params = self.request.query_params
            if params.get("brief", "").lower() in TRUE:
                chosen = list(serializer_class.brief_fields)
            fields, omit = split_param(self.request, "fields"), split_param(self.request, "omit")
            errors = {}
            for name, values in (("fields", fields), ("omit", omit)):
                unknown = [value for value in values if value not in available]
                if unknown:
                    errors[name] = [
                        ngettext(
                            # Translators: the English says "field(s)" for one or more; a plural form
                            # per number is welcome.
                            "Unknown field(s): %(names)s. Allowed: %(allowed)s.",
                            "Unknown field(s): %(names)s. Allowed: %(allowed)s.",
                            len(unknown),
                        )
                        % {"names": ", ".join(unknown), "allowed": ", ".join(available)}
                    ]
            if errors:
                raise ValidationError(errors)
            if fields:
                chosen = [name for name in available if name in fields]
            if omit:
                chosen = [name for name in (chosen or available) if name not in omit]
        self._requested_fields = chosen
        return chosen

    def get_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        if self.request is not None and self.request.method in ("GET", "HEAD"):
            kwargs.setdefault("fields", self.requested_fields())
        return self.get_serializer_class()(*args, **kwargs)

    # -- formats ---------------------------------------------------------------------------------
    # A list is JSON (paginated) or one of ``export_formats``: every matching row in one streamed
    # file, at its own path (``/api/v1/activities.csv``, added by ``routers.Router``; documented as
    # an operation of its own, so generated clients never parse it as JSON) and, for browsers and
    # the site's download links, with ``?format=csv`` or ``Accept: text/csv``. A format is a
    # renderer with that ``format`` in ``renderer_classes`` and an ``export_<format>`` method.

    export_formats = ("csv",)

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) != "list":
            renderers = [r for r in renderers if r.format not in self.export_formats]
        return renderers

    def allowed_formats(self) -> list[str]:
        return [r.format for r in self.get_renderers() if r.format != "api"]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # DRF answers an unknown ?format= with a bare "Not found."; on a list, whose formats
            # are documented, say what is allowed instead (a detail has no CSV: a 404 there).
            if getattr(self, "action", None) != "list":
                raise
            value = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE, "")
            allowed = ", ".join(self.allowed_formats())
            message = _("%(value)s is not a format; allowed: %(allowed)s.") % {
                "value": value,
                "allowed": allowed,
            }
            raise ValidationError({"format": [message]}) from None

    def export_csv(self, queryset):
        bom = flag(self.request, "bom")
        return csv_response(queryset, self.get_serializer(), self.csv_filename, bom=bom)

    def list(self, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        export = getattr(self, f"export_{renderer.format}", None) if renderer else None
        if export is not None and renderer.format in self.export_formats:
            return export(self.filter_queryset(self.get_queryset()))
        serializer_class = self.get_serializer_class()
        names = self.requested_fields() or serializer_class.field_names()
        related = {*serializer_class.select, *serializer_class.prefetch} & set(names)
        if renderer and renderer.format == "json" and hasattr(serializer_class, "fast_rows") and related:
            # A page of rows built from values() (the serializer's own output, faster) when the
            # fields read related records: the page's ids first, then fast_rows's queries.
            queryset = self.filter_queryset(self.get_queryset())
            queryset = queryset.select_related(None).prefetch_related(None).only("pk")
            page = self.paginate_queryset(queryset)
            objects = page if page is not None else list(queryset)
            # No serializer is built (its field tree costs more than the page): fast_rows gives
            # the rows the serializer would, for the same field names.
            rows = serializer_class.fast_rows(objects, names, request)
            return self.get_paginated_response(rows) if page is not None else Response(rows)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.represent(page, many=True))
        return Response(self.represent(queryset, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.represent(self.get_object()))

    def represent(self, instance, many=False):
        """What ``get_serializer(instance, many=many).data`` gives, from a serializer tree built
        once (``represent``) for JSON, where the serializer is only ever asked for its data (the
        browsable API reads the serializer again when it renders its forms)."""
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is None or renderer.format != "json":
            return self.get_serializer(instance, many=many).data
        return represent(
            self.get_serializer_class(),
            instance,
            context=self.get_serializer_context(),
            fields=self.requested_fields(),
            many=many,
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors are JSON whatever format was asked for (a CSV or XML of an error helps nobody).
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and not isinstance(response.accepted_renderer, (JSONRenderer, BrowsableAPIRenderer))
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    # -- conditional GET -------------------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            patch_vary_headers(response, ["Accept"])
            if isinstance(response, Response):  # a plain HttpResponse (IATI XML) is rendered already
                response.render()
            set_response_etag(response)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response


class BaseViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, BaseReadOnlyViewSet
):
    """A resource's list and detail, and writes for users with the model permission.

    Every write runs in the write context ``Via.API`` with the authenticated user and the reason
    the client gives in an ``X-Change-Reason`` header, so it reaches the record's history.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates: request.user is known from here
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            reason = request.headers.get("X-Change-Reason", "").strip()
            self._write_context = services.writing(Via.API, user=request.user, reason=reason)
            self._write_context.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        context = self.__dict__.pop("_write_context", None)
        if context is not None:
            context.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)

    def perform_destroy(self, instance):
        services.delete(instance)


class SourceDocumentViewSet(BaseReadOnlyViewSet):
    """The public documents every citation quotes."""

    queryset = SourceDocument.objects.all()
    serializer_class = SourceDocumentSerializer
    filterset_class = SourceDocumentFilterSet
    lookup_field = "key"
    csv_filename = "sources"


class APIRootView(APIView):
    """The WPS Portal API v1: each resource's list. See /api/v1/docs/ for the documentation."""

    resources: tuple[tuple[str, str], ...] = ()  # (name, basename), set by urls.py
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}}
    )
    def get(self, request, format=None):
        links = OrderedDict(
            (name, reverse(f"api:{basename}-list", request=request, format=format))
            for name, basename in self.resources
        )
        links["schema"] = reverse("api:schema", request=request)
        links["docs"] = reverse("api:swagger-ui", request=request)
        links["redoc"] = reverse("api:redoc", request=request)
        # The whole dataset as versioned files, and the terms of the portal's data.
        links["data"] = reverse("data", request=request)
        links["licence"] = LICENCE["url"]
        return Response(links)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema. The API has one version, so ``?version=`` is ignored: drf-spectacular
    would otherwise copy it, unchecked, into the Content-Disposition filename (a NUL there was a
    500, and any other text was reflected into a response header)."""

    def _get_version_parameter(self, request):
        return None
