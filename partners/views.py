from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from wps_portal.choices import Status
from wps_portal.views import CitableDetailView, FilteredListView, RecordDetailView

from .choices import RelationType
from .filtersets import CountryFilterSet, PartnerFilterSet
from .models import Country, Partner

# A country page lists this many of each kind of record and links to the full, filtered list.
COUNTRY_PAGE_ITEMS = 12


class PartnerListView(FilteredListView):
    filterset_class = PartnerFilterSet
    item_template = "partners/items.html#partner"
    api_resource = "partners"
    plural = pgettext_lazy("list name in a sentence", "partners")
    counted = ngettext_lazy("%(count)s partner", "%(count)s partners", "count")
    title = _("Partners")
    intro = _(
        "Organisations, networks, institutions and international bodies that took part in the "
        "women, peace and security work, with their roles."
    )

    def get_queryset(self):
        return Partner.objects.published().with_related().with_local_names()


class PartnerDetailView(RecordDetailView):
    model = Partner
    template_name = "partners/partner_detail.html"

    def get_context_data(self, **kwargs):
        """Splits the prefetched relations for the page's sections (no further queries)."""
        context = super().get_context_data(**kwargs)
        partner = self.object
        outgoing, incoming = list(partner.relations_from.all()), list(partner.relations_to.all())
        case_studies = {}
        for role in partner.case_study_roles.all():
            case_studies.setdefault(role.case_study, []).append(role)
        context.update(
            memberships=[r for r in outgoing if r.type == RelationType.MEMBER_OF],
            members=[r for r in incoming if r.type == RelationType.MEMBER_OF],
            relations_from=[r for r in outgoing if r.type != RelationType.MEMBER_OF],
            relations_to=[r for r in incoming if r.type != RelationType.MEMBER_OF],
            case_studies=list(case_studies.items()),
            participations=partner.latest_participations(),
            participation_count=partner.participations.filter(activity__status=Status.PUBLISHED).count(),
        )
        return context


def published_count(relation):
    """A correlated subquery counting a country's published records of one kind."""
    model = Country._meta.get_field(relation).related_model
    country_field = "countries" if relation in ("activities", "programmes") else "country"
    rows = (
        model.objects.published()
        .filter(**{country_field: OuterRef("pk")})
        .order_by()
        .values(f"{country_field}")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class CountryListView(FilteredListView):
    filterset_class = CountryFilterSet
    item_template = "partners/items.html#country"
    api_resource = "countries"
    plural = pgettext_lazy("list name in a sentence", "countries")
    counted = ngettext_lazy("%(count)s country", "%(count)s countries", "count")
    title = _("Countries")
    intro = _("Where the partners are based and where the activities took place.")

    def get_queryset(self):
        return Country.objects.annotate(
            partner_count=published_count("partners"),
            activity_count=published_count("activities"),
            case_study_count=published_count("case_studies"),
        )


class CountryDetailView(CitableDetailView):
    """A country's page: the published records of each kind based or held there."""

    model = Country
    template_name = "partners/country_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Country, code=self.kwargs["code"].upper())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        partners = Partner.objects.published().filter(country=country).with_related().with_local_names()
        activities = country.activities.published().with_related().order_by("-start_date", "title")
        context.update(
            partners=partners[:COUNTRY_PAGE_ITEMS],
            partner_count=partners.count(),
            activities=activities[:COUNTRY_PAGE_ITEMS],
            activity_count=activities.count(),
            case_studies=country.case_studies.published(),
            programmes=country.programmes.published(),
        )
        return context
