import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wps_portal.filtersets import (
    BaseFilterSet,
    Facet,
    YearFilter,
    choice_filter,
    country_facet,
    ordering_filters,
    slugs_filter,
)

from .choices import PartnerKind, Role, Scope
from .models import Country, Partner


class CountryFilterSet(BaseFilterSet):
    region = django_filters.CharFilter(field_name="region", lookup_expr="iexact", label=_("Region"))
    sort, ordering = ordering_filters({"name": "name", "code": "code", "region": "region"})

    facets = {"region": Facet("region")}

    def filter_search(self, queryset, name, value):
        # Countries have no search_text (not a PublicModel): match the name or the code.
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value.strip()))

    class Meta:
        model = Country
        fields = []


class PartnerFilterSet(BaseFilterSet):
    country = slugs_filter(
        Country, "country", _("Country"), to_field_name="code", listing="/api/v1/countries/"
    )
    kind = choice_filter(PartnerKind.choices, _("Kind"))
    scope = choice_filter(Scope.choices, _("Scope"))
    role = choice_filter(
        Role.choices,
        _("Role in an activity"),
        field_name="participations__role",
        through=("participations__activity",),
    )
    # Filters by records of the upper layers go through reverse relations, named, not imported.
    programme = slugs_filter(
        "activities.Programme",
        "participations__activity__programme",
        _("Programme"),
        listing="/api/v1/programmes/",
    )
    phase = slugs_filter(
        "activities.Phase", "participations__activity__phase", _("Phase"), listing="/api/v1/phases/"
    )
    approach = slugs_filter(
        "casestudies.Approach",
        "case_study_roles__case_study__approaches",
        _("Approach"),
        listing="/api/v1/approaches/",
    )
    network = slugs_filter(
        Partner, "relations_from__target", _("Member of (network)"), listing="/api/v1/partners/?kind=network"
    )
    year_from = YearFilter(method="filter_years", label=_("Active from (year)"))
    year_to = YearFilter(method="filter_years", label=_("Active until (year)"))
    sort, ordering = ordering_filters(
        {"name": "name", "acronym": "acronym", "founded_year": "founded", "country__name": "country"}
    )

    facets = {
        "country": country_facet("country"),
        "kind": Facet("kind", choices=tuple(PartnerKind.choices)),
        "scope": Facet("scope", choices=tuple(Scope.choices)),
        "role": Facet(
            "participations__role", choices=tuple(Role.choices), through=("participations__activity",)
        ),
    }

    class Meta:
        model = Partner
        fields = []
