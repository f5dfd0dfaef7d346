"""The network as a networkx graph, written as GraphML or GEXF (read by Gephi and networkx).

A multigraph, directed: each edge keeps its kind, and a symmetric edge (co-participation, a
partnership) says so (GraphML: ``directed=false``; GEXF: ``type="mutual"``). GEXF edges are dated
by their records: one spell per dated record, from the first to the last day its date's precision
allows (an activity of "2008" spans 2008-01-01 to 2008-12-31).
"""

import io

import networkx as nx

from .graph import Network


def to_networkx(network: Network, *, dated: bool = False) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="WPS Portal partner network")
    for n in network.nodes:
        graph.add_node(
            n.id,
            label=n.name,
            acronym=n.acronym,
            kind=n.kind,
            sector=str(n.sector),
            country=n.country_code,
            url=n.url,
            degree=n.degree,
            weighted_degree=n.weighted_degree,
            betweenness=float(n.betweenness),
            component=n.component,
        )
    for e in network.edges:
        data = {
            "id": e.id,
            "kind": e.kind,
            "label": e.kind_label,
            "weight": e.weight,
            "directed": e.directed,
            "cross_border": e.cross_border,
            "cross_sector": e.cross_sector,
            "records": " | ".join(r.key for r in e.records),
            "record_titles": " | ".join(r.title for r in e.records),
        }
        if dated:
            data["type"] = "directed" if e.directed else "mutual"
            spells = sorted(
                {(r.first_day.isoformat(), r.last_day.isoformat()) for r in e.records if r.first_day}
            )
            if spells:
                data["spells"] = spells
        graph.add_edge(e.source, e.target, key=e.id, **data)
    return graph


def graphml(network: Network) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(to_networkx(network), out, encoding="utf-8", named_key_ids=True)
    return out.getvalue()


def gexf(network: Network) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(to_networkx(network, dated=True), out, encoding="utf-8", version="1.2draft")
    return out.getvalue()
