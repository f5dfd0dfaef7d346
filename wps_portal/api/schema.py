"""OpenAPI: what drf-spectacular infers, plus what the portal's conventions add.

- reads are anonymous: every GET's security is empty (no credentials; see ``get_auth``), writes
  need a token or a session (the permission class allows anonymous safe methods, which
  drf-spectacular does not recognise on its own);
- ``fields``, ``omit``, ``brief`` on every GET, documented as a projection; without them every
  response field is present, so every field is ``required`` in the response schemas (null where
  the record has no value: ``nullable``);
- each export format of a list is its own operation at its own path (``/api/v1/activities.csv``),
  answering only with its media type; the JSON operations answer only JSON, so a generated client
  never parses a CSV as JSON;
- sort values have enum names (``start`` START, ``-start`` START_DESC: ``x-enum-varnames``);
- the error responses: 400 (a bad filter value or field: {parameter: [messages]}), 401/403 on
  writes, 404 (an unknown key, or a page that is not a number or past the end), 429 (throttled,
  with Retry-After);
- year filters are integers from 1900 to 2100; a list of related records by natural key says where
  the allowed keys are listed;
- request bodies allow no other properties (a key the API does not write is a 400).
"""

from django.conf import settings
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as _AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions

from wps_portal.filtersets import ORDERING_PARAMS, SlugsFilter, YearFilter

PROJECTION = (
    " A projection: the response then holds only the chosen fields, so it is a subset of the"
    " schema below, whose fields are all present (required) when fields, omit and brief are not"
    " given."
)

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each invalid parameter or field, with what is allowed.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"country": ["ZZ is not a known value (see /api/v1/countries/ for the allowed values)."]},
}


class AutoSchema(_AutoSchema):
    def _is_get(self):
        return self.method in ("GET", "HEAD")

    def _export_renderer(self):
        """The renderer of this operation's export format (``/api/v1/activities.csv``), or None."""
        fmt = getattr(self.view, "export_format", None)
        if not fmt:
            return None
        return next(r for r in self.view.get_renderers() if r.format == fmt)

    def get_auth(self):
        auths = super().get_auth()
        view_permissions = self.view.get_permissions()
        anonymous_reads = any(
            isinstance(p, (permissions.DjangoModelPermissionsOrAnonReadOnly, permissions.AllowAny))
            for p in view_permissions
        )
        open_to_all = all(isinstance(p, permissions.AllowAny) for p in view_permissions)
        # An operation anyone may call (e.g. the reconciliation service's POSTed queries) needs
        # nothing either.
        if (anonymous_reads and self.method in permissions.SAFE_METHODS) or open_to_all:
            # No credentials needed. Written as an empty list, not [{}, tokenAuth, …]: generators
            # (openapi-python-client) demand an authenticated client for any non-empty list, and
            # Swagger UI would still draw a lock. A curator's token still works on reads (drafts).
            return []
        return auths

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        renderer = self._export_renderer()
        if renderer is not None:  # activities.csv_list -> activities_list_csv
            return operation_id.replace(f".{renderer.format}", "") + f"_{renderer.format}"
        return operation_id

    def get_tags(self):
        renderer = self._export_renderer()
        tags = super().get_tags()
        return [tag.removesuffix(f".{renderer.format}") for tag in tags] if renderer else tags

    def get_description(self):
        description = super().get_description()
        renderer = self._export_renderer()
        if renderer is not None:
            return f"{description}\n\n{renderer.export_description}".strip()
        return description

    def map_renderers(self, attribute):
        # The JSON operations answer JSON only; an export operation its own format only.
        renderer = self._export_renderer()
        exports = set(getattr(self.view, "export_formats", ()))
        kept = [
            r
            for r in self.view.get_renderers()
            if (r is renderer if renderer is not None else r.format not in exports)
        ]
        original = self.view.get_renderers
        self.view.get_renderers = lambda: kept
        try:
            return super().map_renderers(attribute)
        finally:
            self.view.get_renderers = original

    def _get_paginator(self):
        if self._export_renderer() is not None:
            return None  # an export is every matching row, in one response
        return super()._get_paginator()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_get():
            parameters.append(language_parameter())
        get_class = getattr(self.view, "get_serializer_class", None)
        serializer_class = get_class() if get_class else None
        if not self._is_get() or not hasattr(serializer_class, "field_names"):
            return parameters
        names = serializer_class.field_names()
        field_list = build_array_type({"type": "string", "enum": names})
        parameters += [
            OpenApiParameter(
                "fields",
                field_list,
                style="form",
                explode=False,
                description="Only these fields (comma-separated, or the parameter repeated). An"
                " unknown field name is a 400." + PROJECTION,
            ),
            OpenApiParameter(
                "omit",
                field_list,
                style="form",
                explode=False,
                description="All fields but these (comma-separated, or the parameter repeated)." + PROJECTION,
            ),
            OpenApiParameter(
                "brief",
                OpenApiTypes.BOOL,
                description="The compact form: "
                + ", ".join(getattr(serializer_class, "brief_fields", ()))
                + "."
                + PROJECTION,
            ),
        ]
        renderer = self._export_renderer()
        if renderer is not None:
            parameters += list(getattr(renderer, "export_parameters", ()))
        return parameters

    def _get_response_bodies(self, direction="response"):
        renderer = self._export_renderer()
        if renderer is not None:
            responses = {
                "200": {
                    "description": f"As {renderer.media_type}.",
                    "content": {
                        renderer.media_type: {
                            # text is a string; other formats (GraphML, GEXF) a file of bytes
                            "schema": {"type": "string"}
                            if renderer.media_type.startswith("text/")
                            else {"type": "string", "format": "binary"}
                        }
                    },
                }
            }
        else:
            responses = super()._get_response_bodies(direction)

        def error(code, schema, description, headers=None):
            response = {"description": description, "content": {"application/json": {"schema": schema}}}
            if headers:
                response["headers"] = headers
            responses.setdefault(code, response)

        if self._is_get():  # every read takes ``lang``, so any read may answer a 400 naming it
            error("400", FIELD_ERRORS, "A parameter has a value that is not allowed; the body says which.")
        if not hasattr(self.view, "get_serializer_class"):
            return responses
        if not self._is_get():
            error("400", FIELD_ERRORS, "Invalid data; the body names each field and what is wrong.")
            error("401", DETAIL, "Not authenticated.")
            error("403", DETAIL, "The user lacks the model permission.")
        if self._is_list_view() and self._is_get():
            if renderer is None:
                error("404", DETAIL, "The page is not a number or is past the end.")
        else:
            error("404", DETAIL, "No record with this key.")
        error(
            "429",
            DETAIL,
            "Too many requests from an anonymous client.",
            {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
        )
        return responses


def language_parameter() -> OpenApiParameter:
    """``?lang=``, its values the languages offered when the schema is made (not when this module
    was imported: the offer follows settings.LANGUAGES)."""
    return OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        enum=[code for code, _name in settings.LANGUAGES],
        description="The language of labels, messages and translated texts (each translated text says"
        " its language and translation status under `translations`). Without it: the language cookie,"
        " else the request's Accept-Language, else English; the response's Content-Language says which."
        " A language not offered is a 400 naming `lang`.",
    )


def enum_names(values) -> list[str]:
    """Names for sort values in generated clients: start -> START, -start -> START_DESC."""
    return [
        value.lstrip("-").replace("-", "_").upper() + ("_DESC" if value.startswith("-") else "")
        for value in values
    ]


class PortalFilterExtension(DjangoFilterExtension):
    """django-filter parameters, with the portal's filters described exactly."""

    target_class = "wps_portal.api.filters.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            if isinstance(filter_field, YearFilter):
                parameter["schema"] = {"type": "integer", "minimum": 1900, "maximum": 2100}
            elif isinstance(filter_field, SlugsFilter):
                listing = getattr(filter_field, "listing", "")
                listing = f"see {listing} for the allowed values" if listing else ""
                key = filter_field.extra.get("to_field_name", "slug")
                parameter["description"] = (
                    f"{filter_field.label}: one or more {key}s (repeat the parameter; OR-ed)"
                    + (f"; {listing}" if listing else "")
                    + "."
                )
                parameter["schema"] = build_array_type(build_basic_type(OpenApiTypes.STR))
            elif field_name in ORDERING_PARAMS:
                items = parameter["schema"].get("items", {})
                if "enum" in items:
                    items["x-enum-varnames"] = enum_names(items["enum"])
                parameter["description"] = (
                    f"{filter_field.label}: one or more keys, comma-separated or the parameter"
                    " repeated (the first sorts first); - before a key reverses it."
                )
        return parameters


class PortalSerializerExtension(OpenApiSerializerExtension):
    """Brief (nested) forms named Brief…, written as the related record's key; request bodies
    closed to unknown keys."""

    target_class = "wps_portal.api.serializers.BaseSerializer"
    match_subclasses = True

    def get_name(self, auto_schema, direction):
        name = self.target.__class__.__name__.removesuffix("Serializer")
        if getattr(self.target, "nested", False):
            return f"Brief{name}"
        return None

    def map_serializer(self, auto_schema, direction):
        if getattr(self.target, "nested", False) and direction == "request":
            return {
                "type": "string",
                "description": f"The related record's {self.target.lookup_field}.",
            }
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            # Writes refuse keys they do not write (serializers.RefusesUnknownInput).
            schema["additionalProperties"] = False
        return schema


class TokenScheme(KnoxTokenScheme):
    """``Authorization: Token <token>`` (knox, through the portal's throttled subclass)."""

    target_class = "wps_portal.api.auth.TokenAuthentication"
    name = "tokenAuth"


def every_response_field_required(result, generator, request, public):
    """Postprocessing hook: in each response component (COMPONENT_SPLIT_REQUEST names the request
    ones …Request) every property is required. A serializer writes every field it has, with null
    where there is no value (``nullable``), so a client may rely on each key being there; the
    projections (``fields``, ``omit``, ``brief``) are documented as such on their parameters."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or "properties" not in schema:
            continue
        schema["required"] = list(schema["properties"])
    return result
