from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    """The resource's FilterSet (the same class as the site's list page). An invalid value is a
    400 naming the parameter and what is allowed; the browsable API gets no filter form."""

    def to_html(self, request, queryset, view):
        return None
