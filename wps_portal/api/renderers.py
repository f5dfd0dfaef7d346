"""JSON encoded by orjson (DRF's output, faster), CSV for every list (streamed by the view; see
wps_portal.api.export), and a browsable API that renders no filter form and no HTML forms of
related-record choices (fast on large tables)."""

import orjson
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

# orjson hands these to ``default`` instead of writing them itself, so they come out as DRF's
# encoder writes them: datetimes end in Z rather than +00:00, a timezone-aware time is refused.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# As DRF does: U+2028 and U+2029 escaped (JSON allows them raw; older JavaScript does not).
_LINE_SEPARATORS = ((chr(0x2028).encode(), rb"\u2028"), (chr(0x2029).encode(), rb"\u2029"))


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer (compact, UTF-8, U+2028/U+2029 escaped), encoded by orjson: the same
    JSON several times faster. What orjson does not encode itself (lazy translation strings,
    Decimal, datetimes, dates, times, UUIDs, querysets…) goes to DRF's encoder; anything orjson
    refuses even then (an integer beyond 64 bits) and indented output (``; indent=4``, the
    browsable API) are DRF's renderer's, so the output is always DRF's, parsed.

    Not byte for byte: orjson writes floats in their shortest form, and NaN or Infinity as null
    where DRF's strict JSON raises (the API has no float fields)."""

    _default = staticmethod(JSONEncoder().default)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or not self.compact or self.ensure_ascii or not self.strict:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self._default, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in _LINE_SEPARATORS:
            if raw in body:
                body = body.replace(raw, escaped)
        return body


class CSVRenderer(renderers.BaseRenderer):
    """A list's export format (see BaseReadOnlyViewSet.export_formats): at /api/v1/<list>.csv, or
    with ?format=csv or Accept: text/csv. Lists are streamed by the view (``export_csv``); this
    renders only what reaches it otherwise (nothing does on success; errors are rendered as JSON).

    ``export_description`` and ``export_parameters`` document the export operation (schema.py)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    export_description = (
        "Every matching row (all pages, in the list's order), streamed as CSV (RFC 4180, UTF-8):"
        " one column per field, named as in the JSON. A related record is its key (slug, code or"
        " key); a list of related records is their keys joined with | (a | or \\ inside an item"
        " is escaped with a backslash; keys never hold either); a list of the record's own rows"
        " (participants, outputs, relations, results, aliases, citations…) is a JSON array of"
        " objects with every field, related records again by key ([] when empty). Numbers are"
        " integers, true/false are booleans, null is an empty cell (pandas: read_csv(…,"
        ' dtype_backend="numpy_nullable") keeps years as integers). url is the record\'s API URL,'
        " html_url its page. A cell starting with =, +, -, @, tab or carriage return gets a"
        " leading apostrophe (no spreadsheet runs it as a formula). A failure midway aborts the"
        " response: a complete file always ends with its last row."
    )
    export_parameters = (
        OpenApiParameter(
            "bom",
            OpenApiTypes.BOOL,
            description="Start the file with a UTF-8 byte-order mark (Excel needs it to read UTF-8).",
        ),
    )

    def render(self, data, accepted_media_type=None, renderer_context=None):
        from .export import rows_to_csv

        rows = data if isinstance(data, list) else [data]
        return "".join(rows_to_csv(rows)).encode(self.charset)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_filter_form(self, data, view, request):
        return None  # the filter form would load every related record into a <select>

    def get_rendered_html_form(self, data, view, method, request):
        return None  # the raw JSON form is kept; HTML forms would list every related record

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        # Pygments' CSS would be an inline <style>, which the Content-Security-Policy refuses.
        context["code_style"] = None
        return context
