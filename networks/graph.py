"""The partner network as a service: who is linked to whom, how, through which records, and the
metrics of the resulting graph (networkx).

Nodes are published partners. Edges are
- each typed relation between two partners (``PartnerRelation``), directed from source to target
  unless its type is symmetric (``partners.choices.SYMMETRIC_RELATION_TYPES``);
- a unit and the body it is part of (``Partner.parent``), directed;
- taking part in the same activities, or the same case studies: one symmetric edge per pair of
  partners and kind, weighted by the number of records they share, the records kept on the edge.

Which partners and records count comes from the FilterSets of the lists (``select()``): the
network's partners are exactly those the partners list shows for the same parameters, and the
records linking them are those the activities and case-study lists show.

Metrics are computed on the undirected graph in which every pair of linked partners is one link
weighing the sum of its edges' weights: degree (linked partners), weighted degree, betweenness
centrality (normalised, on unweighted shortest paths: how often a partner lies on the shortest
path between two others, i.e. bridges them; estimated from a sample above
``BETWEENNESS_EXACT_UP_TO`` partners) and connected components.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from itertools import combinations

import networkx as nx
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities.filtersets import ActivityFilterSet
from activities.models import Activity, Participation
from casestudies.filtersets import CaseStudyFilterSet
from casestudies.models import CaseStudy, CaseStudyPartner
from partners.choices import PartnerKind
from partners.models import Partner, PartnerRelation
from wps_portal import cache
from wps_portal.choices import Status
from wps_portal.dates import iso_partial, period_end

from .choices import (
    ACTIVITY,
    CASE_STUDY,
    DIRECTED_EDGE_KINDS,
    EDGE_KINDS,
    PART_OF,
    SECTOR_OF_KIND,
    Sector,
)
from .filtersets import ACTIVITY_ONLY_PARAMS, ACTIVITY_PARAMS, CASE_STUDY_PARAMS, NetworkFilterSet

KIND_ORDER = {kind: i for i, kind in enumerate(EDGE_KINDS)}
KIND_LABELS = dict(PartnerKind.choices)
RELATION = "relation"
# Betweenness is exact up to this many partners; above, estimated from this many sampled partners
# (seeded: the same data gives the same figures).
BETWEENNESS_EXACT_UP_TO = 600
BETWEENNESS_SAMPLES = 300
# A partner page's network is cut out of the whole network (which gives it its whole-network
# metrics: betweenness, group) up to this many published partners; above, the whole network costs
# minutes to build, and the page builds the partner's own links alone (``ego_network``).
WHOLE_NETWORK_UP_TO = 2_000
# The partner page draws and lists the strongest links, up to this many, and says how many more;
# each with its latest records, up to this many.
EGO_LINKS_SHOWN = 60
EGO_RECORDS_SHOWN = 10


@dataclass
class Record:
    """What an edge stands for: an activity, a case study or a stated relation."""

    key: str  # "activity:<slug>", "case-study:<slug>", "relation:<n>"
    type: str  # ACTIVITY, CASE_STUDY or RELATION
    title: str
    url: str = ""
    start: str | None = None  # ISO at its precision: "2008", "2008-06", "2008-06-15"
    end: str | None = None
    first_day: datetime.date | None = None
    last_day: datetime.date | None = None
    note: str = ""

    def as_dict(self):
        return {
            "key": self.key,
            "type": self.type,
            "title": self.title,
            "url": self.url,
            "start": self.start,
            "end": self.end,
            "note": self.note,
        }


@dataclass
class Node:
    id: str  # the partner's slug
    name: str
    acronym: str
    kind: str
    country_code: str
    country_name: str
    url: str
    # None where not known: an ego network built alone (``ego_network``) knows its partner's
    # degrees but no whole-network metric.
    degree: int | None = 0
    weighted_degree: int | None = 0
    betweenness: float | None = 0.0
    component: int | None = 0  # 1 is the largest

    @property
    def label(self):
        return self.acronym or self.name

    @property
    def kind_label(self):
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def sector(self):
        return SECTOR_OF_KIND.get(self.kind, Sector.OTHER)

    @property
    def sector_label(self):
        return str(Sector(self.sector).label)

    def as_dict(self):
        return {
            "id": self.id,
            "name": self.name,
            "acronym": self.acronym,
            "label": self.label,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "sector": str(self.sector),
            "sector_label": self.sector_label,
            "country": self.country_code or None,
            "country_name": self.country_name,
            "url": self.url,
            "degree": self.degree,
            "weighted_degree": self.weighted_degree,
            "betweenness": None if self.betweenness is None else round(self.betweenness, 6),
            "component": self.component,
        }


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    records: list[Record] = field(default_factory=list)
    cross_border: bool = False
    cross_sector: bool = False
    omitted: int = 0  # records counted in the weight but left out (a partner page's latest only)

    @property
    def id(self):
        return f"{self.kind}:{self.source}:{self.target}"

    @property
    def directed(self):
        return self.kind in DIRECTED_EDGE_KINDS

    @property
    def weight(self):
        """Shared records for co-participation; 1 for a relation (stated once or from both ends)."""
        return len(self.records) + self.omitted if self.kind in (ACTIVITY, CASE_STUDY) else 1

    @property
    def kind_label(self):
        return str(EDGE_KINDS[self.kind])

    @property
    def first_day(self):
        days = [r.first_day for r in self.records if r.first_day]
        return min(days) if days else None

    @property
    def last_day(self):
        days = [r.last_day for r in self.records if r.last_day]
        return max(days) if days else None

    def as_dict(self):
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "directed": self.directed,
            "weight": self.weight,
            "cross_border": self.cross_border,
            "cross_sector": self.cross_sector,
            "records": [r.key for r in self.records],
        }


@dataclass
class Network:
    nodes: list[Node]
    edges: list[Edge]
    components: list[list[str]]  # node ids, largest first

    def records(self) -> dict[str, Record]:
        """Every record some edge stands for, once, by key."""
        return {r.key: r for e in self.edges for r in e.records}

    def node(self, node_id) -> Node | None:
        return self._index().get(node_id)

    def _index(self):
        if not hasattr(self, "_nodes_by_id"):
            self._nodes_by_id = {n.id: n for n in self.nodes}
        return self._nodes_by_id

    @property
    def cross_border_edges(self):
        return [e for e in self.edges if e.cross_border]

    @property
    def cross_sector_edges(self):
        return [e for e in self.edges if e.cross_sector]

    def country_pairs(self):
        """[(country, country, edges)] of the cross-border edges, most first."""
        index = self._index()
        pairs = Counter(
            tuple(sorted((index[e.source].country_name, index[e.target].country_name)))
            for e in self.cross_border_edges
        )
        return [(a, b, n) for (a, b), n in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))]

    def sector_pairs(self):
        """[(sector label, sector label, edges)] of the cross-sector edges, most first."""
        index = self._index()
        order = {s: i for i, s in enumerate(Sector.values)}
        pairs = Counter(
            tuple(sorted((index[e.source].sector, index[e.target].sector), key=order.get))
            for e in self.cross_sector_edges
        )
        ranked = sorted(pairs.items(), key=lambda item: (-item[1], order[item[0][0]], order[item[0][1]]))
        return [(str(Sector(a).label), str(Sector(b).label), n) for (a, b), n in ranked]

    def ego(self, node_id, limit: int | None = None, records: int | None = None) -> Network:
        """The partner and the partners it is linked to, with the edges touching it (one step);
        each node keeps the metrics it has in the whole network. ``limit``: the strongest edges
        only (heaviest first, then in the network's order); ``records``: each edge with its
        latest records only, the others counted (``Edge.omitted``)."""
        edges = [e for e in self.edges if node_id in (e.source, e.target)]
        if limit is not None and len(edges) > limit:
            position = {id(e): i for i, e in enumerate(edges)}
            kept = {id(e) for e in sorted(edges, key=lambda e: (-e.weight, position[id(e)]))[:limit]}
            edges = [e for e in edges if id(e) in kept]
        if records is not None:
            edges = [
                replace(e, records=e.records[-records:], omitted=e.omitted + len(e.records) - records)
                if len(e.records) > records
                else e
                for e in edges
            ]
        ids = {node_id} | {e.source for e in edges} | {e.target for e in edges}
        return Network(
            nodes=[n for n in self.nodes if n.id in ids],
            edges=edges,
            components=[[n.id for n in self.nodes if n.id in ids]],
        )

    def summary(self):
        return {
            "nodes": len(self.nodes),
            "edges": len(self.edges),
            "components": len(self.components),
            "largest_component": len(self.components[0]) if self.components else 0,
            "isolated": sum(1 for c in self.components if len(c) == 1),
            "cross_border_edges": len(self.cross_border_edges),
            "cross_sector_edges": len(self.cross_sector_edges),
        }

    def as_dict(self):
        return {
            "summary": self.summary(),
            "nodes": [n.as_dict() for n in self.nodes],
            "edges": [e.as_dict() for e in self.edges],
            "records": {key: r.as_dict() for key, r in self.records().items()},
            "components": self.components,
            "cross_border": {
                "count": len(self.cross_border_edges),
                "country_pairs": [{"countries": [a, b], "edges": n} for a, b, n in self.country_pairs()],
                "edges": [e.id for e in self.cross_border_edges],
            },
            "cross_sector": {
                "count": len(self.cross_sector_edges),
                "sector_pairs": [{"sectors": [a, b], "edges": n} for a, b, n in self.sector_pairs()],
                "edges": [e.id for e in self.cross_sector_edges],
            },
        }


# -- selecting partners and records through the lists' FilterSets -------------------------------


@dataclass
class Selection:
    filterset: NetworkFilterSet
    partners: object  # querysets
    activities: object
    case_studies: object
    roles: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # kinds of edge kept; all when empty
    year_from: int | None = None
    year_to: int | None = None


def select(data, filterset=None) -> Selection:
    """The partners and records the parameters select, through the lists' FilterSets. ``data`` is a
    QueryDict whose values the NetworkFilterSet accepts (the caller drops or refuses the others);
    ``filterset``, that FilterSet already bound to ``data``."""
    if filterset is None:
        filterset = NetworkFilterSet(data=data, queryset=Partner.objects.published())
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}

    def subset(names):
        sub = data.copy()
        for key in list(sub):
            if key not in names:
                del sub[key]
        return sub

    activities = ActivityFilterSet(data=subset(ACTIVITY_PARAMS), queryset=Activity.objects.published()).qs
    if any(data.get(name) for name in ACTIVITY_ONLY_PARAMS):
        case_studies = CaseStudy.objects.none()
    else:
        case_studies = CaseStudyFilterSet(
            data=subset(CASE_STUDY_PARAMS), queryset=CaseStudy.objects.published()
        ).qs
    return Selection(
        filterset=filterset,
        partners=filterset.qs,
        activities=activities,
        case_studies=case_studies,
        roles=tuple(cleaned.get("role") or ()),
        links=tuple(cleaned.get("link") or ()),
        year_from=cleaned.get("year_from"),
        year_to=cleaned.get("year_to"),
    )


def network_for(data, filterset=None) -> tuple[Network, NetworkFilterSet]:
    selection = select(data, filterset)
    return build_network(selection), selection.filterset


def full_network() -> Network:
    """Every published partner and record: built once per generation of the shared cache (any
    write makes a new one) and language (its labels are translated), then read by every partner
    page, which shows one partner's part of it."""
    return cache.cached(
        ("network", "full", get_language()),
        lambda: build_network(
            Selection(
                filterset=None,
                partners=Partner.objects.published(),
                activities=Activity.objects.published(),
                case_studies=CaseStudy.objects.published(),
            )
        ),
    )


# -- building ------------------------------------------------------------------------------------


def partner_network(partner) -> tuple[Network, Node | None, int]:
    """(the partner's ego network with its strongest ``EGO_LINKS_SHOWN`` links, its node with its
    metrics, how many links it has in all) for the partner page, cached per generation."""

    def compute():
        whole = Partner.objects.published().count() <= WHOLE_NETWORK_UP_TO
        network = full_network() if whole else ego_network(partner)
        node = network.node(partner.slug)
        if node is None:
            return Network([], [], []), None, 0
        links = sum(1 for e in network.edges if partner.slug in (e.source, e.target))
        return network.ego(partner.slug, limit=EGO_LINKS_SHOWN, records=EGO_RECORDS_SHOWN), node, links

    return cache.cached(("network", "partner", partner.pk, get_language()), compute)


def ego_network(partner) -> Network:
    """The partner, the partners it is linked to and the edges touching it, built from its own
    records alone (four queries, whatever the size of the whole network). Its node's degree and
    weighted degree are those of the whole network; betweenness and group are whole-network
    metrics and are left unknown (None)."""
    activities = Activity.objects.published().filter(
        pk__in=Participation.objects.filter(partner=partner).values("activity")
    )
    case_studies = CaseStudy.objects.published().filter(
        pk__in=CaseStudyPartner.objects.filter(partner=partner).values("case_study")
    )
    linked = (
        Q(pk=partner.pk)
        | Q(parent=partner)
        | Q(pk__in=PartnerRelation.objects.filter(source=partner).values("target"))
        | Q(pk__in=PartnerRelation.objects.filter(target=partner).values("source"))
        | Q(pk__in=Participation.objects.filter(activity__in=activities.values("pk")).values("partner"))
        | Q(
            pk__in=CaseStudyPartner.objects.filter(case_study__in=case_studies.values("pk")).values("partner")
        )
    )
    if partner.parent_id:
        linked |= Q(pk=partner.parent_id)
    selection = Selection(
        filterset=None,
        partners=Partner.objects.published().filter(linked),
        activities=activities,
        case_studies=case_studies,
    )
    return build_network(selection, focus=partner.slug)


def slug_url(viewname: str):
    """``slug -> URL`` of a record page, reversing once: a network of 10,000 partners and 14,000
    activities spent seconds in ``reverse()``. A slug needs no quoting in a path."""
    marker = "0slug0"
    head, tail = reverse(viewname, kwargs={"slug": marker}).split(marker)
    return lambda slug: f"{head}{slug}{tail}"


def build_network(selection: Selection, focus: str | None = None) -> Network:
    """Four queries: partners, relations, activity participations, case-study participations.
    ``focus``: only the edges touching this partner (``ego_network``), without the graph metrics."""
    partner_ids = selection.partners.values("pk")
    partners = list(
        selection.partners.model.objects.filter(pk__in=partner_ids)
        .select_related("country")
        .only("slug", "name", "acronym", "kind", "parent_id", "country")
        .order_by("name", "pk")
    )
    partner_url, activity_url = slug_url("partners:detail"), slug_url("activities:detail")
    case_study_url = slug_url("casestudies:detail")
    slug_of = {p.pk: p.slug for p in partners}
    order = {p.slug: i for i, p in enumerate(partners)}
    nodes = [
        Node(
            id=p.slug,
            name=p.name,
            acronym=p.acronym,
            kind=p.kind,
            country_code=p.country.code if p.country else "",
            country_name=p.country.display_name if p.country else "",
            url=partner_url(p.slug),
        )
        for p in partners
    ]
    edges: dict[tuple[str, str, str], Edge] = {}

    def edge(kind, a, b) -> Edge:
        if kind not in DIRECTED_EDGE_KINDS and order[a] > order[b]:
            a, b = b, a
        key = (kind, a, b)
        if key not in edges:
            edges[key] = Edge(source=a, target=b, kind=kind)
        return edges[key]

    def touches(*ids) -> bool:
        return focus is None or focus in ids

    for p in partners:
        if p.parent_id in slug_of and touches(p.slug, slug_of[p.parent_id]):
            body = nodes[order[slug_of[p.parent_id]]].name
            edge(PART_OF, p.slug, slug_of[p.parent_id]).records.append(
                Record(
                    key=f"part-of:{p.slug}",
                    type=RELATION,
                    title=_("%(unit)s is part of %(body)s") % {"unit": p.name, "body": body},
                )
            )

    relations = PartnerRelation.objects.filter(source__in=partner_ids, target__in=partner_ids).values_list(
        "source_id", "type", "target_id", "start_year", "end_year", "note"
    )
    for source_id, type_, target_id, start_year, end_year, note in relations:
        if not touches(slug_of[source_id], slug_of[target_id]):
            continue
        if not _overlaps(start_year, end_year, selection.year_from, selection.year_to):
            continue
        source, target = slug_of[source_id], slug_of[target_id]
        edge(type_, source, target).records.append(
            Record(
                key=f"relation:{source}:{type_}:{target}",
                type=RELATION,
                title=f"{nodes[order[source]].name} {EDGE_KINDS[type_]} {nodes[order[target]].name}",
                start=str(start_year) if start_year else None,
                end=str(end_year) if end_year else None,
                first_day=datetime.date(start_year, 1, 1) if start_year else None,
                last_day=datetime.date(end_year or start_year, 12, 31) if start_year else None,
                note=note,
            )
        )

    roles = {"role__in": selection.roles} if selection.roles else {}
    # Around one partner, its activities' participants are its linked partners: their status is
    # the condition. ``partner__in`` a list of 10,000 partners crossed with 13,875 activities made
    # SQLite probe every pair (6.7 s).
    partners_kept = {"partner__status": Status.PUBLISHED} if focus else {"partner__in": partner_ids}
    participations = (
        Participation.objects.filter(activity__in=selection.activities.values("pk"), **partners_kept, **roles)
        .order_by()
        .values_list(
            "partner_id",
            "activity__slug",
            "activity__title",
            "activity__start_date",
            "activity__start_precision",
            "activity__end_date",
            "activity__end_precision",
        )
    )
    activity_records, activity_partners = {}, defaultdict(set)
    for partner_id, slug, title, start, start_precision, end, end_precision in participations:
        activity_partners[slug].add(slug_of[partner_id])
        if slug not in activity_records:
            activity_records[slug] = Record(
                key=f"activity:{slug}",
                type=ACTIVITY,
                title=title,
                url=activity_url(slug),
                start=iso_partial(start, start_precision),
                end=iso_partial(end, end_precision),
                first_day=start,
                last_day=period_end(end, end_precision)
                if end
                else (period_end(start, start_precision) if start else None),
            )

    case_study_roles = (
        CaseStudyPartner.objects.filter(
            case_study__in=selection.case_studies.values("pk"), **partners_kept, **roles
        )
        .order_by()
        .values_list(
            "partner_id",
            "case_study__slug",
            "case_study__number",
            "case_study__title",
            "case_study__start_year",
        )
    )
    case_study_records, case_study_partners = {}, defaultdict(set)
    for partner_id, slug, number, title, start_year in case_study_roles:
        case_study_partners[slug].add(slug_of[partner_id])
        if slug not in case_study_records:
            case_study_records[slug] = Record(
                key=f"case-study:{slug}",
                type=CASE_STUDY,
                title=_("Case study %(number)s: %(title)s") % {"number": number, "title": title},
                url=case_study_url(slug),
                start=str(start_year) if start_year else None,
                first_day=datetime.date(start_year, 1, 1) if start_year else None,
                last_day=datetime.date(start_year, 12, 31) if start_year else None,
            )

    for kind, records, members in (
        (ACTIVITY, activity_records, activity_partners),
        (CASE_STUDY, case_study_records, case_study_partners),
    ):
        for slug in sorted(records, key=lambda s: (records[s].first_day or datetime.date.max, s)):
            pairs = combinations(sorted(members[slug], key=order.get), 2)
            for a, b in pairs if focus is None else ((focus, b) for b in members[slug] - {focus}):
                edge(kind, a, b).records.append(records[slug])

    kept = [e for e in edges.values() if not selection.links or e.kind in selection.links]
    if focus is not None:
        return _measure_focus(nodes, kept, order, focus)
    return _measure(nodes, kept, order)


def _overlaps(start_year, end_year, year_from, year_to) -> bool:
    """Whether a relation's years (either unknown: any) overlap the years asked for."""
    too_early = year_from is not None and end_year is not None and end_year < year_from
    too_late = year_to is not None and start_year is not None and start_year > year_to
    return not (too_early or too_late)


def _classify(nodes: list[Node], edges, order) -> list[Edge]:
    """The edges in the network's order, each marked crossing borders and sectors or not."""
    index = {n.id: n for n in nodes}
    edges = sorted(
        edges,
        key=lambda e: (KIND_ORDER[e.kind], -e.weight, order[e.source], order[e.target]),
    )
    for e in edges:
        a, b = index[e.source], index[e.target]
        e.cross_border = bool(a.country_code and b.country_code and a.country_code != b.country_code)
        e.cross_sector = Sector.OTHER not in (a.sector, b.sector) and a.sector != b.sector
    return edges


def _measure_focus(nodes: list[Node], edges, order, focus) -> Network:
    """A star around ``focus``: its degree and weighted degree (counted as ``_measure`` counts
    them: a pair of partners is one link weighing the sum of its edges), the rest unknown."""
    edges = _classify(nodes, edges, order)
    weights: Counter[str] = Counter()
    for e in edges:
        weights[e.target if e.source == focus else e.source] += e.weight
    linked = {focus, *weights}
    nodes = [n for n in nodes if n.id in linked]
    for node in nodes:
        node.betweenness = node.component = None
        if node.id == focus:
            node.degree, node.weighted_degree = len(weights), sum(weights.values())
        else:
            node.degree = node.weighted_degree = None
    return Network(nodes=nodes, edges=edges, components=[[n.id for n in nodes]])


def _measure(nodes: list[Node], edges, order) -> Network:
    index = {n.id: n for n in nodes}
    edges = _classify(nodes, edges, order)
    graph = nx.Graph()
    graph.add_nodes_from(index)
    for e in edges:
        if graph.has_edge(e.source, e.target):
            graph[e.source][e.target]["weight"] += e.weight
        else:
            graph.add_edge(e.source, e.target, weight=e.weight)
    if len(graph) <= 2:
        betweenness = dict.fromkeys(graph, 0.0)
    elif len(graph) <= BETWEENNESS_EXACT_UP_TO:
        betweenness = nx.betweenness_centrality(graph)
    else:  # exact betweenness grows with nodes x links: estimated from sampled sources instead
        betweenness = nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLES, seed=0)
    for node in nodes:
        node.degree = graph.degree(node.id)
        node.weighted_degree = graph.degree(node.id, weight="weight")
        node.betweenness = betweenness[node.id]
    components = sorted(
        (sorted(c, key=order.get) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    for number, component in enumerate(components, start=1):
        for node_id in component:
            index[node_id].component = number
    return Network(nodes=nodes, edges=edges, components=components)
