from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as _PageNumberPagination

from wps_portal.cache import CachedCountPaginator


class PageNumberPagination(_PageNumberPagination):
    """{count, next, previous, results}; ?page=, ?page_size= (default 50, from 1 to 500).

    A page_size that is not a whole number from 1 to 500 is a 400 naming it (DRF would silently
    use 50 for 0 or junk, and 500 for more). A page that is not a number or past the end is a 404
    {"detail": "Invalid page."}.
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
                        f"{value} is not allowed; enter a whole number from {self.min_page_size}"
                        f" to {self.max_page_size}."
                    ]
                }
            )
        return size

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
        return parameters
