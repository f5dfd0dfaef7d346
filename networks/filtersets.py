from django.utils.translation import gettext_lazy as _

from casestudies.models import Approach
from partners.filtersets import PartnerFilterSet
from wps_portal.filtersets import Facet, choice_filter, translated_facet

from .choices import EDGE_KINDS

# The parameters that select the records linking partners, and which FilterSet of the records
# each one is passed to: a case study belongs to no programme or phase.
ACTIVITY_PARAMS = ("programme", "phase", "approach", "year_from", "year_to")
CASE_STUDY_PARAMS = ("approach", "year_from", "year_to")
# With one of these, only activities link partners (case studies have neither).
ACTIVITY_ONLY_PARAMS = ("programme", "phase")


class NetworkFilterSet(PartnerFilterSet):
    """The partners list's filters select the network's partners; its filter panel also counts
    the partners per programme, phase and approach. ``link`` selects the kinds of link drawn and
    measured (all when absent), not partners."""

    link = choice_filter(tuple(EDGE_KINDS.items()), _("Kind of link"), method="select_no_partners")

    def select_no_partners(self, queryset, name, value):
        return queryset

    facets = {
        **PartnerFilterSet.facets,
        "programme": Facet(
            "participations__activity__programme__slug",
            "participations__activity__programme__short_name",
        ),
        "phase": Facet("participations__activity__phase__slug", "participations__activity__phase__name"),
        "approach": translated_facet("case_study_roles__case_study__approaches", Approach),
    }

    class Meta(PartnerFilterSet.Meta):
        pass
