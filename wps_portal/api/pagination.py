from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as _PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from wps_portal import keyset
from wps_portal.cache import CachedCountPaginator


class PageNumberPagination(_PageNumberPagination):
    """{count, next, previous, results}; ?page=, ?page_size= (default 50, from 1 to 500).

    A page_size that is not a whole number from 1 to 500 is a 400 naming it (DRF would silently
    use 50 for 0 or junk, and 500 for more). A page that is not a number or past the end is a 404
    {"detail": "Invalid page."}.

    ``?cursor=`` (empty for the first page) pages by keyset instead (``wps_portal.keyset``):
    ``next`` and ``previous`` then carry cursors, and page 4,000 costs what page 1 costs. Either
    way the response has a ``Link`` header (RFC 8288) with the ``next`` and ``prev`` URLs.
    """

    page_size = 50
    page_size_query_param = "page_size"
    min_page_size = 1
    max_page_size = 500
    django_paginator_class = CachedCountPaginator

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        try:
            size = int(value)
        except ValueError:
            size = None
        if size is None or not self.min_page_size <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("%(value)s is not allowed; enter a whole number from %(min)d to %(max)d.")
                        % {"value": value, "min": self.min_page_size, "max": self.max_page_size}
                    ]
                }
            )
        return size

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.cursor_page = None
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        if self.page_query_param in request.query_params:
            raise ValidationError({self.cursor_query_param: [_("Give either cursor or page, not both.")]})
        size = self.get_page_size(request)
        try:
            self.cursor_page = keyset.page(queryset, request.query_params[self.cursor_query_param], size)
        except keyset.InvalidCursor as error:
            message = _("Invalid cursor: %(reason)s.") % {"reason": error}
            raise ValidationError({self.cursor_query_param: [message]}) from None
        self.count_paginator = CachedCountPaginator(queryset, size)
        return self.cursor_page.rows

    def get_paginated_response(self, data):
        if self.cursor_page is None:
            response = super().get_paginated_response(data)
        else:
            response = Response(
                {
                    "count": self.count_paginator.count,
                    "next": self.get_next_link(),
                    "previous": self.get_previous_link(),
                    "results": data,
                }
            )
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def _cursor_link(self, token):
        if token is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_next_link(self):
        if self.cursor_page is not None:
            return self._cursor_link(self.cursor_page.next)
        return super().get_next_link()

    def get_previous_link(self):
        if self.cursor_page is not None:
            return self._cursor_link(self.cursor_page.previous)
        return super().get_previous_link()

    def get_html_context(self):
        if self.cursor_page is not None:
            return {
                "previous_url": self.get_previous_link(),
                "next_url": self.get_next_link(),
                "page_links": [],
            }
        return super().get_html_context()

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=self.min_page_size, maximum=self.max_page_size, default=self.page_size
                )
                parameter["description"] = (
                    f"Results per page, from {self.min_page_size} to {self.max_page_size}"
                    f" (default {self.page_size}); a value outside is a 400."
                )
            elif parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Page by keyset instead of page number: empty for the first page, then "
                "the cursor in the previous response's next or previous link.",
                "schema": {"type": "string"},
            }
        )
        return parameters
