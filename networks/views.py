"""The network page: the lists' filter panel, the picture, and the tables behind it."""

from django.core.paginator import InvalidPage, Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy, pgettext_lazy

from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from partners.choices import PartnerKind
from partners.models import Partner
from wps_portal.views import FilteredListView, active_filters, facet_panel, hidden_filters

from .choices import EDGE_KINDS, SECTOR_OF_KIND, Sector
from .filtersets import NetworkFilterSet
from .graph import network_for
from .timeline import DEFAULT_GROUP, GROUPS, build_timeline

# The links table shows this many rows a page (strongest first within each kind of link).
LINKS_PER_PAGE = 100
LINKS_PAGE = "links_page"


def paginate_list(rows, number):
    paginator = Paginator(rows, LINKS_PER_PAGE, allow_empty_first_page=True)
    try:
        return paginator.page(int(number or 1)), ""
    except (TypeError, ValueError, InvalidPage):
        return paginator.page(1), "ignored"


class NetworkView(FilteredListView):
    filterset_class = NetworkFilterSet
    template_name = "networks/network.html"
    plural = pgettext_lazy("list name in a sentence", "partners")
    counted = ngettext_lazy("%(count)s partner", "%(count)s partners", "count")
    title = _("Network")
    intro = _(
        "Who worked with whom: partners linked by membership, by the relations the sources state "
        "and by taking part in the same activities and case studies. The tables below the picture "
        "hold everything it shows."
    )

    def get_queryset(self):
        return Partner.objects.published()

    def get_context_data(self, **kwargs):
        context = super(FilteredListView, self).get_context_data(**kwargs)
        filterset, query, ignored, unknown = self.clean_query()
        unknown = [key for key in unknown if key != LINKS_PAGE]
        for key in [*unknown, "page", LINKS_PAGE]:
            query.pop(key, None)
        messages = self.ignored_messages(filterset, ignored, unknown)
        network, filterset = network_for(query, filterset=filterset)
        links_page, _message = paginate_list(edge_rows(network), self.request.GET.get(LINKS_PAGE))
        facets = facet_panel(filterset, query)
        link_label = filterset.filters["link"].label
        chosen_links = set(query.getlist("link"))
        api = reverse("api:network")
        suffix = f"&{query.urlencode()}" if query else ""
        context.update(
            title=self.title,
            intro=self.intro,
            network=network,
            summary=network.summary(),
            filterset=filterset,
            query=query,
            messages_ignored=messages,
            facets=facets,
            ranges=[filterset.form[name] for name in ("year_from", "year_to")],
            hidden_filters=[(k, v) for k, v in hidden_filters(filterset, query) if k != "link"],
            active_filters=[
                (label, EDGE_KINDS.get(value, value) if label == link_label else value, rest, language)
                for label, value, rest, language in active_filters(filterset, query, facets)
            ],
            link_choices=[(k, label, k in chosen_links) for k, label in EDGE_KINDS.items()],
            link_label=link_label,
            list_url=self.request.path,
            links_base=f"?{query.urlencode()}&{LINKS_PAGE}=" if query else f"?{LINKS_PAGE}=",
            partners_url=f"{reverse('partners:list')}{'?' + query.urlencode() if query else ''}",
            downloads=[
                (_("JSON"), f"{api}?{query.urlencode()}" if query else api),
                (_("GraphML"), f"{api}?format=graphml{suffix}"),
                (_("GEXF (dated)"), f"{api}?format=gexf{suffix}"),
            ],
            nodes_by_degree=sorted(network.nodes, key=lambda n: (-n.degree, -n.weighted_degree, n.name)),
            links=links_page,
            country_pairs=network.country_pairs(),
            sector_pairs=network.sector_pairs(),
            picture=picture_data(network),
            legend=legend(network),
        )
        return context


def edge_rows(network):
    """The edges for the links table, with their partners' names."""
    names = {n.id: n.name for n in network.nodes}
    return [
        {
            "id": e.id,
            "source_name": names[e.source],
            "target_name": names[e.target],
            "kind_label": e.kind_label,
            "directed": e.directed,
            "weight": e.weight,
            "records": e.records,
            "omitted": e.omitted,
            "cross_border": e.cross_border,
            "cross_sector": e.cross_sector,
        }
        for e in network.edges
    ]


def legend(network):
    """[(kind, label, partners)] of the partner kinds present, and the edge kinds present."""
    kinds = {}
    for node in network.nodes:
        kinds[node.kind] = kinds.get(node.kind, 0) + 1
    edge_kinds = {}
    for edge in network.edges:
        edge_kinds[edge.kind] = edge_kinds.get(edge.kind, 0) + 1
    return {
        "kinds": [(k, label, kinds[k]) for k, label in PartnerKind.choices if k in kinds],
        "sectors": [
            (s, label, [str(PartnerKind(k).label) for k, v in SECTOR_OF_KIND.items() if v == s])
            for s, label in Sector.choices
        ],
        "edges": [(k, label, edge_kinds[k]) for k, label in EDGE_KINDS.items() if k in edge_kinds],
    }


def picture_data(network, focus=""):
    """What the script draws, compact: nodes; edges as indexes into the nodes and the records;
    ``focus``, the partner whose page it is."""
    index = {n.id: i for i, n in enumerate(network.nodes)}
    records = list(network.records().values())
    record_index = {r.key: i for i, r in enumerate(records)}
    return {
        "nodes": [
            {
                "id": n.id,
                "label": n.label,
                "name": n.name,
                "kind": n.kind,
                "kind_label": n.kind_label,
                "sector": str(n.sector),
                "country": n.country_name,
                "url": n.url,
                "degree": n.degree,
            }
            for n in network.nodes
        ],
        "kinds": dict(EDGE_KINDS),
        "focus": focus,
        "edges": [
            [
                index[e.source],
                index[e.target],
                e.kind,
                int(e.directed),
                e.weight,
                [record_index[r.key] for r in e.records],
            ]
            for e in network.edges
        ],
        "records": [[r.title, r.url, r.start or ""] for r in records],
    }


class TimelineView(FilteredListView):
    """The activities list's filters, drawn over time in lanes (``?group=``), with the table."""

    filterset_class = ActivityFilterSet
    template_name = "networks/timeline.html"
    plural = pgettext_lazy("list name in a sentence", "activities")
    counted = ngettext_lazy("%(count)s activity", "%(count)s activities", "count")
    title = _("Timeline")
    intro = _(
        "The activities over time, in lanes by country, programme, phase or type. A date known to "
        "the year is drawn as the whole year, one known to the month as the whole month."
    )

    def get_queryset(self):
        return Activity.objects.published()

    def get_context_data(self, **kwargs):
        context = super(FilteredListView, self).get_context_data(**kwargs)
        filterset, query, ignored, unknown = self.clean_query()
        group = self.request.GET.get("group", DEFAULT_GROUP)
        unknown = [key for key in unknown if key != "group"]
        messages = self.ignored_messages(filterset, ignored, unknown)
        if group not in GROUPS:
            messages.append(
                _("Ignored group=%(value)s: allowed values: %(allowed)s.")
                % {"value": group, "allowed": ", ".join(GROUPS)}
            )
            group = DEFAULT_GROUP
        for key in [*unknown, "page", "group"]:
            query.pop(key, None)
        timeline = build_timeline(filterset.qs, group)
        facets = facet_panel(filterset, query)
        context.update(
            title=self.title,
            intro=self.intro,
            timeline=timeline,
            group=group,
            groups=list(GROUPS.items()),
            filterset=filterset,
            query=query,
            messages_ignored=messages,
            facets=facets,
            ranges=[filterset.form[name] for name in ("year_from", "year_to")],
            hidden_filters=hidden_filters(filterset, query),
            active_filters=active_filters(filterset, query, facets),
            list_url=self.request.path,
            timeline_clear_url=f"{self.request.path}?group={group}",
            activities_url=f"{reverse('activities:list')}{'?' + query.urlencode() if query else ''}",
            picture=timeline.as_dict(),
        )
        return context


def map_page(request):
    """The countries the records name, coloured by one measure (``?measure=``), with the table of
    every count and the places the activities name."""
    from django.shortcuts import render

    from .charts import MAP_MEASURES, map_context, places

    measure = request.GET.get("measure", "activities")
    messages = []
    if measure not in MAP_MEASURES:
        messages.append(
            _("Ignored measure=%(value)s: allowed values: %(allowed)s.")
            % {"value": measure, "allowed": ", ".join(MAP_MEASURES)}
        )
        measure = "activities"
    unknown = sorted(set(request.GET) - {"measure"})
    if unknown:
        messages.append(
            ngettext(
                # Translators: the English says "parameter(s)" for one or more; a plural form per
                # number is welcome.
                "Ignored unknown parameter(s): %(names)s.",
                "Ignored unknown parameter(s): %(names)s.",
                len(unknown),
            )
            % {"names": ", ".join(unknown)}
        )
    context = map_context(measure)
    context.update(
        title=_("Map"),
        intro=_(
            "The countries the records name: where the partners are based, where the activities "
            "took place and what the case studies are about. The table below the map holds every "
            "count it shows."
        ),
        measure_label=str(MAP_MEASURES[measure]).lower(),
        messages_ignored=messages,
        places=places(),
    )
    return render(request, "networks/map.html", context)
