from django.utils.translation import gettext_lazy as _

from partners.choices import Role
from partners.models import Country, Partner
from wps_portal.filtersets import (
    BaseFilterSet,
    Facet,
    YearFilter,
    choice_filter,
    country_facet,
    ordering_filters,
    slugs_filter,
)

from .choices import ActivityType
from .models import Activity, Phase, Programme, ThematicArea


class ProgrammeFilterSet(BaseFilterSet):
    country = slugs_filter(
        Country, "countries", _("Country"), to_field_name="code", listing="/api/v1/countries/"
    )
    sort, ordering = ordering_filters({"name": "name", "start_year": "start"})

    facets = {"country": country_facet("countries")}

    class Meta:
        model = Programme
        fields = []


class PhaseFilterSet(BaseFilterSet):
    programme = slugs_filter(Programme, "programme", _("Programme"), listing="/api/v1/programmes/")
    sort, ordering = ordering_filters({"number": "number", "start_year": "start"})

    class Meta:
        model = Phase
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class ActivityFilterSet(BaseFilterSet):
    country = slugs_filter(
        Country, "countries", _("Country"), to_field_name="code", listing="/api/v1/countries/"
    )
    type = choice_filter(ActivityType.choices, _("Type"))
    programme = slugs_filter(Programme, "programme", _("Programme"), listing="/api/v1/programmes/")
    phase = slugs_filter(Phase, "phase", _("Phase"), listing="/api/v1/phases/")
    area = slugs_filter(ThematicArea, "thematic_area", _("Thematic area"), listing="/api/v1/programmes/")
    partner = slugs_filter(Partner, "participations__partner", _("Partner"), listing="/api/v1/partners/")
    role = choice_filter(
        Role.choices,
        _("Role of a partner"),
        field_name="participations__role",
        through=("participations__partner",),
    )
    approach = slugs_filter(
        "casestudies.Approach", "case_studies__approaches", _("Approach"), listing="/api/v1/approaches/"
    )
    year_from = YearFilter(method="filter_years", label=_("From (year)"))
    year_to = YearFilter(method="filter_years", label=_("To (year)"))
    sort, ordering = ordering_filters({"start_date": "start", "title": "title", "type": "type"})

    facets = {
        "country": country_facet("countries"),
        "type": Facet("type", choices=tuple(ActivityType.choices)),
        "programme": Facet("programme__slug", "programme__short_name"),
        "phase": Facet("phase__slug", "phase__name"),
        "area": Facet("thematic_area__slug", "thematic_area__name"),
        "role": Facet(
            "participations__role", choices=tuple(Role.choices), through=("participations__partner",)
        ),
    }

    class Meta:
        model = Activity
        fields = []
