from rest_framework.pagination import PageNumberPagination as _PageNumberPagination

from wps_portal.cache import CachedCountPaginator


class PageNumberPagination(_PageNumberPagination):
    """{count, next, previous, results}; ?page=, ?page_size= (default 50, larger values capped at 500).

    A page that is not a number or past the end is a 404 {"detail": "Invalid page."}.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CachedCountPaginator
