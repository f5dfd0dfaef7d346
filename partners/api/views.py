from wps_portal.api.views import BaseReadOnlyViewSet, BaseViewSet

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
