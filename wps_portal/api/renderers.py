"""CSV for every list (streamed by the view; see wps_portal.api.export), and a browsable API
that renders no filter form and no HTML forms of related-record choices (fast on large tables)."""

from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    """Selected with ?format=csv or Accept: text/csv. Lists are streamed by the view; this renders
    only what reaches it otherwise (nothing does on success; errors are rendered as JSON)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

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
