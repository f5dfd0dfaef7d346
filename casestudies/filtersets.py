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
    translated_facet,
)

from .choices import ApproachKind, Section
from .models import Approach, CaseStudy, IssueBox, Lesson


class ApproachFilterSet(BaseFilterSet):
    kind = choice_filter(ApproachKind.choices, _("Kind"))
    sort, ordering = ordering_filters({"order": "order", "title": "title", "number": "number"})

    facets = {"kind": Facet("kind", choices=tuple(ApproachKind.choices))}

    class Meta:
        model = Approach
        fields = []


class IssueBoxFilterSet(BaseFilterSet):
    approach = slugs_filter(Approach, "approach", _("Approach"), listing="/api/v1/approaches/")
    sort, ordering = ordering_filters({"order": "order", "title": "title"})

    class Meta:
        model = IssueBox
        fields = []


class CaseStudyFilterSet(BaseFilterSet):
    section = choice_filter(Section.choices, _("Section"))
    country = slugs_filter(
        Country, "country", _("Country"), to_field_name="code", listing="/api/v1/countries/"
    )
    approach = slugs_filter(Approach, "approaches", _("Approach"), listing="/api/v1/approaches/")
    partner = slugs_filter(Partner, "partner_roles__partner", _("Partner"), listing="/api/v1/partners/")
    role = choice_filter(
        Role.choices,
        _("Role of a partner"),
        field_name="partner_roles__role",
        through=("partner_roles__partner",),
    )
    year_from = YearFilter(method="filter_years", label=_("Started from (year)"))
    year_to = YearFilter(method="filter_years", label=_("Started by (year)"))
    sort, ordering = ordering_filters({"number": "number", "title": "title", "start_year": "start"})

    facets = {
        "section": Facet("section", choices=tuple(Section.choices)),
        "country": country_facet("country"),
        "approach": translated_facet("approaches", Approach),
    }

    class Meta:
        model = CaseStudy
        fields = []


class LessonFilterSet(BaseFilterSet):
    approach = slugs_filter(Approach, "approach", _("Approach"), listing="/api/v1/approaches/")
    case_study = slugs_filter(CaseStudy, "case_study", _("Case study"), listing="/api/v1/case-studies/")
    section = choice_filter(Section.choices, _("Case-study section"), field_name="case_study__section")
    country = slugs_filter(
        Country, "case_study__country", _("Country"), to_field_name="code", listing="/api/v1/countries/"
    )
    partner = slugs_filter(
        Partner, "case_study__partner_roles__partner", _("Partner"), listing="/api/v1/partners/"
    )
    sort, ordering = ordering_filters(
        {"order": "order", "case_study__number": "case_study", "approach__order": "approach"}
    )

    facets = {
        "approach": translated_facet("approach", Approach),
        "case_study": translated_facet("case_study", CaseStudy),
        "section": Facet("case_study__section", choices=tuple(Section.choices)),
    }

    class Meta:
        model = Lesson
        fields = []
