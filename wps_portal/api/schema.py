"""OpenAPI: what drf-spectacular infers, plus what the portal's conventions add.

- ``fields``, ``omit``, ``brief`` on every GET; ``format`` (json / csv) on every list;
- the error responses: 400 (a bad filter value or field: {parameter: [messages]}), 401/403 on
  writes, 404 (an unknown key, or a page that is not a number or past the end), 429 (throttled,
  with Retry-After);
- year filters are integers from 1900 to 2100; a list of related records by natural key says where
  the allowed keys are listed;
- response fields are not marked required, since ``fields``/``omit``/``brief`` may remove any;
  request bodies allow no other properties (a key the API does not write is a 400).
"""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as _AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from wps_portal.filtersets import SlugsFilter, YearFilter

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

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
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
                description="Only these fields, comma-separated. An unknown field name is a 400.",
            ),
            OpenApiParameter(
                "omit",
                field_list,
                style="form",
                explode=False,
                description="All fields but these, comma-separated.",
            ),
            OpenApiParameter(
                "brief",
                OpenApiTypes.BOOL,
                description="The compact form: "
                + ", ".join(getattr(serializer_class, "brief_fields", ()))
                + ".",
            ),
        ]
        if self._is_list_view():
            formats = [r.format for r in self.view.get_renderers() if r.format != "api"]
            extra = getattr(self.view, "format_help", {})
            parameters.append(
                OpenApiParameter(
                    "format",
                    {"type": "string", "enum": formats},
                    description=" ".join(
                        [
                            "csv: every matching row (all pages), streamed; flat columns, related "
                            'records by their key, lists joined with "; ". Also chosen with Accept: text/csv.',
                            *(extra[f] for f in formats if f in extra),
                        ]
                    ),
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for content in (r.get("content", {}) for r in responses.values()):
            for media_type in content:
                if media_type in ("text/csv", "application/xml"):  # files, not JSON
                    content[media_type] = {"schema": {"type": "string"}}
        if not hasattr(self.view, "get_serializer_class"):
            return responses

        def error(code, schema, description, headers=None):
            response = {"description": description, "content": {"application/json": {"schema": schema}}}
            if headers:
                response["headers"] = headers
            responses.setdefault(code, response)

        if self._is_get():
            error("400", FIELD_ERRORS, "A parameter has a value that is not allowed; the body says which.")
        else:
            error("400", FIELD_ERRORS, "Invalid data; the body names each field and what is wrong.")
            error("401", DETAIL, "Not authenticated.")
            error("403", DETAIL, "The user lacks the model permission.")
        if self._is_list_view() and self._is_get():
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
                hint = " ".join(str(m) for m in filter_field.extra.get("error_messages", {}).values())
                listing = hint[hint.find("(see") :].strip("(). ") if "(see" in hint else ""
                key = filter_field.extra.get("to_field_name", "slug")
                parameter["description"] = (
                    f"{filter_field.label}: one or more {key}s (repeat the parameter; OR-ed)"
                    + (f"; {listing}" if listing else "")
                    + "."
                )
                parameter["schema"] = build_array_type(build_basic_type(OpenApiTypes.STR))
        return parameters


class ResponseFieldsOptional(OpenApiSerializerExtension):
    """?fields, ?omit and ?brief may remove any field from a response: none is required there."""

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
        if direction == "response":
            schema.pop("required", None)
        else:
            # Writes refuse keys they do not write (serializers.RefusesUnknownInput).
            schema["additionalProperties"] = False
        return schema


class TokenScheme(KnoxTokenScheme):
    """``Authorization: Token <token>`` (knox, through the portal's throttled subclass)."""

    target_class = "wps_portal.api.auth.TokenAuthentication"
    name = "tokenAuth"
