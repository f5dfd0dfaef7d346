"""The partner network: construction from a small fixture (nodes, edges, kinds, weights, records),
metrics of a known graph, drafts never in it, the filters, the page, the API and its exports."""

import datetime
import io
import json

import networkx as nx
import pytest
from django.http import QueryDict
from rest_framework.test import APIClient

from activities.filtersets import ActivityFilterSet
from activities.models import Activity, Participation
from casestudies.models import CaseStudy, CaseStudyPartner
from networks.choices import EDGE_KINDS, SECTOR_OF_KIND
from networks.filtersets import NetworkFilterSet
from networks.graph import Selection, build_network, network_for
from partners.choices import PartnerKind, RelationType
from partners.models import Country, Partner, PartnerRelation
from wps_portal.choices import Status

pytestmark = pytest.mark.django_db

API = "/api/v1/network/"
P = Status.PUBLISHED


@pytest.fixture
def small():
    """Six published partners and a draft one, linked as the test below spells out."""
    xk, rs, ba = (Country.objects.get(code=c) for c in ("XK", "RS", "BA"))

    def partner(key, kind, country, status=P, parent=None):
        return Partner.objects.create(
            name=f"T {key}", slug=f"t-{key.lower()}", kind=kind, scope="national", country=country,
            status=status, parent=parent,
        )  # fmt: skip

    d = partner("Delta", PartnerKind.UN, None)
    a = partner("Alpha", PartnerKind.NGO, xk)
    b = partner("Bravo", PartnerKind.GOVERNMENT, xk)
    c = partner("Charlie", PartnerKind.SECURITY, rs, parent=d)
    e = partner("Echo", PartnerKind.NGO, xk, status=Status.DRAFT)
    f = partner("Foxtrot", PartnerKind.WOMENS_NGO, xk)
    partner("Golf", PartnerKind.NGO, ba)  # linked to none
    PartnerRelation.objects.create(source=a, type=RelationType.MEMBER_OF, target=b, start_year=2004)
    PartnerRelation.objects.create(source=b, type=RelationType.PARTNER_OF, target=c)
    PartnerRelation.objects.create(source=c, type=RelationType.PARTNER_OF, target=b)
    PartnerRelation.objects.create(source=a, type=RelationType.SUPPORTS, target=e)  # draft end

    def activity(key, start, precision, partners, status=P):
        act = Activity.objects.create(
            title=f"T activity {key}", slug=f"t-act-{key}", type="workshop", status=status,
            start_date=start, start_precision=precision,
        )  # fmt: skip
        for p in partners:
            Participation.objects.create(activity=act, partner=p, role="participant")
        return act

    activity("1", datetime.date(2008, 1, 1), "year", [a, b, c])
    activity("2", datetime.date(2009, 6, 1), "month", [a, b])
    activity("3", datetime.date(2009, 1, 1), "year", [a, c], status=Status.DRAFT)
    activity("4", datetime.date(2010, 1, 1), "year", [a, e])
    activity("5", None, "year", [a, f])
    Participation.objects.create(activity=Activity.objects.get(slug="t-act-2"), partner=a, role="funding")
    cs = CaseStudy.objects.create(
        number=901, title="T case", slug="t-case", section="networking", status=P, start_year=2010
    )
    CaseStudyPartner.objects.create(case_study=cs, partner=b, role="partner")
    CaseStudyPartner.objects.create(case_study=cs, partner=d, role="partner")
    return Selection(
        filterset=None,
        partners=Partner.objects.published().filter(slug__startswith="t-"),
        activities=Activity.objects.published().filter(slug__startswith="t-"),
        case_studies=CaseStudy.objects.published().filter(slug__startswith="t-"),
    )


def edges_of(network):
    return {(e.kind, e.source, e.target): (e.weight, [r.key for r in e.records]) for e in network.edges}


def test_the_network_has_exactly_the_nodes_edges_kinds_and_weights_the_data_implies(small):
    network = build_network(small)
    assert [n.id for n in network.nodes] == [
        "t-alpha",
        "t-bravo",
        "t-charlie",
        "t-delta",
        "t-foxtrot",
        "t-golf",
    ]
    assert edges_of(network) == {
        ("member-of", "t-alpha", "t-bravo"): (1, ["relation:t-alpha:member-of:t-bravo"]),
        # stated from both ends, one symmetric edge
        ("partner-of", "t-bravo", "t-charlie"): (
            1,
            ["relation:t-bravo:partner-of:t-charlie", "relation:t-charlie:partner-of:t-bravo"],
        ),
        ("part-of", "t-charlie", "t-delta"): (1, ["part-of:t-charlie"]),
        # two shared activities (Alpha's two roles in activity 2 count once), dated first
        ("activity", "t-alpha", "t-bravo"): (2, ["activity:t-act-1", "activity:t-act-2"]),
        ("activity", "t-alpha", "t-charlie"): (1, ["activity:t-act-1"]),  # activity 3 is a draft
        ("activity", "t-bravo", "t-charlie"): (1, ["activity:t-act-1"]),
        ("activity", "t-alpha", "t-foxtrot"): (1, ["activity:t-act-5"]),
        ("case-study", "t-bravo", "t-delta"): (1, ["case-study:t-case"]),
    }
    directed = {e.kind: e.directed for e in network.edges}
    assert directed == {
        "member-of": True, "partner-of": False, "part-of": True, "activity": False, "case-study": False,
    }  # fmt: skip


def test_metrics_of_the_known_graph(small):
    network = build_network(small)
    by_id = {n.id: n for n in network.nodes}
    # Collapsed: Alpha-Bravo 3, Bravo-Charlie 2, Alpha-Charlie 1, Charlie-Delta 1, Bravo-Delta 1, Alpha-Foxtrot 1.
    assert {k: n.degree for k, n in by_id.items()} == {
        "t-alpha": 3, "t-bravo": 3, "t-charlie": 3, "t-delta": 2, "t-foxtrot": 1, "t-golf": 0,
    }  # fmt: skip
    assert {k: n.weighted_degree for k, n in by_id.items()} == {
        "t-alpha": 5, "t-bravo": 6, "t-charlie": 4, "t-delta": 2, "t-foxtrot": 1, "t-golf": 0,
    }  # fmt: skip
    # Foxtrot reaches Bravo, Charlie and Delta only through Alpha (3 paths); Alpha-Delta and
    # Foxtrot-Delta split between Bravo and Charlie. Normalised by (n-1)(n-2)/2 = 10 pairs.
    assert by_id["t-alpha"].betweenness == pytest.approx(0.3)
    assert by_id["t-bravo"].betweenness == pytest.approx(0.1)
    assert by_id["t-charlie"].betweenness == pytest.approx(0.1)
    assert by_id["t-delta"].betweenness == by_id["t-golf"].betweenness == 0
    assert network.components == [["t-alpha", "t-bravo", "t-charlie", "t-delta", "t-foxtrot"], ["t-golf"]]
    assert by_id["t-golf"].component == 2
    summary = network.summary()
    assert (summary["components"], summary["isolated"], summary["largest_component"]) == (2, 1, 5)


def test_links_across_borders_and_sectors_are_counted_and_listed(small):
    network = build_network(small)
    # Charlie is in Serbia, Alpha and Bravo in Kosovo; Delta has no country.
    assert {(e.kind, e.source, e.target) for e in network.cross_border_edges} == {
        ("partner-of", "t-bravo", "t-charlie"),
        ("activity", "t-alpha", "t-charlie"),
        ("activity", "t-bravo", "t-charlie"),
    }
    assert network.country_pairs() == [("Kosovo*", "Serbia", 3)]
    # Every link but Alpha-Foxtrot (two civil-society organisations) crosses sectors.
    assert len(network.cross_sector_edges) == 7
    assert ("Civil society", "Government", 2) in network.sector_pairs()


def test_every_partner_kind_has_a_sector_and_every_relation_type_an_edge_kind():
    assert set(SECTOR_OF_KIND) == set(PartnerKind.values)
    assert set(RelationType.values) <= set(EDGE_KINDS)


def test_role_and_years_select_the_records_that_link(small):
    funding = Selection(**{**small.__dict__, "roles": ("funding",)})
    assert edges_of(build_network(funding)).keys() == {
        ("member-of", "t-alpha", "t-bravo"),
        ("partner-of", "t-bravo", "t-charlie"),
        ("part-of", "t-charlie", "t-delta"),
    }  # only Alpha funds, so no pair shares a funded record
    later = Selection(**{**small.__dict__, "year_to": 2003})
    assert ("member-of", "t-alpha", "t-bravo") not in edges_of(build_network(later))


def test_the_filters_give_the_partners_the_partners_list_gives():
    query = QueryDict("country=XK&kind=womens-ngo&kind=network")
    network, _filterset = network_for(query)
    listed = set(
        Partner.objects.published()
        .filter(country__code="XK", kind__in=["womens-ngo", "network"])
        .values_list("slug", flat=True)
    )
    assert {n.id for n in network.nodes} == listed
    programme, _f = network_for(
        QueryDict("programme=" + Activity.objects.published().exclude(programme=None).first().programme.slug)
    )
    everything, _f = network_for(QueryDict())
    assert 0 < len(programme.edges) < len(everything.edges)
    assert not any(e.kind == "case-study" for e in programme.edges)  # case studies have no programme


def api_json(**params):
    response = APIClient().get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_draft_partners_and_records_never_appear(small):
    data = api_json()
    ids = {n["id"] for n in data["nodes"]}
    assert "t-echo" not in ids and "t-alpha" in ids
    assert not any("t-echo" in (e["source"], e["target"]) for e in data["edges"])
    assert "activity:t-act-3" not in data["records"]
    page = APIClient().get("/network/").content.decode()
    assert "T Echo" not in page and "T Alpha" in page
    graphml = nx.read_graphml(io.BytesIO(APIClient().get(API, {"format": "graphml"}).content))
    assert "t-echo" not in graphml and "t-alpha" in graphml


def test_api_network_and_both_exports_parse_with_networkx():
    data = api_json(country="XK")
    assert {"summary", "nodes", "edges", "records", "components", "cross_border", "cross_sector"} <= set(data)
    assert data["summary"]["nodes"] == len(data["nodes"]) > 0
    assert all(key in data["records"] for e in data["edges"] for key in e["records"])
    graphml = APIClient().get(API, {"country": "XK", "format": "graphml"})
    assert graphml["Content-Type"].startswith("application/graphml+xml")
    graph = nx.read_graphml(io.BytesIO(graphml.content))
    assert set(graph.nodes) == {n["id"] for n in data["nodes"]}
    assert {k for _u, _v, k in graph.edges(keys=True)} == {e["id"] for e in data["edges"]}
    gexf = APIClient().get(API, {"country": "XK", "format": "gexf"})
    dated = nx.read_gexf(io.BytesIO(gexf.content))
    assert dated.graph["mode"] == "dynamic"
    assert {d["id"] for _u, _v, d in dated.edges(data=True)} == {e["id"] for e in data["edges"]}
    activity_edge = next(e for e in data["edges"] if e["kind"] == "activity")
    spells = next(d["spells"] for _u, _v, d in dated.edges(data=True) if d["id"] == activity_edge["id"])
    first = data["records"][activity_edge["records"][0]]["start"]
    assert spells[0][0].startswith(first[:4])  # dated by its records, at their precision


def test_api_refuses_a_bad_filter_or_format_naming_it():
    response = APIClient().get(API, {"country": "ZZ"})
    assert response.status_code == 400 and "country" in response.json()
    response = APIClient().get(API, {"format": "pdf"})
    assert response.status_code == 400 and "format" in response.json()
    response = APIClient().get(API, {"format": "gexf", "year_from": "20x"})  # errors are JSON
    assert response.status_code == 400 and "year_from" in response.json()


def test_api_network_is_in_the_openapi_schema_with_its_filters():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/network/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "country",
        "kind",
        "programme",
        "phase",
        "approach",
        "role",
        "year_from",
        "year_to",
    } <= names
    for fmt, media_type in (("graphml", "application/graphml+xml"), ("gexf", "application/gexf+xml")):
        export = schema["paths"][f"/api/v1/network.{fmt}"]["get"]
        assert set(export["responses"]["200"]["content"]) == {media_type}  # one operation per format
        assert {p["name"] for p in export["parameters"]} == names
    assert set(operation["responses"]["200"]["content"]) == {"application/json"}


def test_api_network_runs_a_fixed_number_of_queries(django_assert_num_queries):
    with django_assert_num_queries(4):  # partners, relations, participations, case-study roles
        APIClient().get(API)
    with django_assert_num_queries(5):  # + looking the country up
        APIClient().get(API, {"country": "XK"})


def facet_limit_queries(filterset_class) -> int:
    from django.db import connection

    from tests.test_views_pages import FACET_LIMIT_QUERIES

    return FACET_LIMIT_QUERIES * len(filterset_class.facets) if connection.vendor == "postgresql" else 0


def test_network_page_shows_the_tables_and_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # the country looked up, one GROUP BY per facet (7), the network (4); on PostgreSQL each facet's
    # time limit adds its statements (tests/test_views_pages.py, FACET_LIMIT_QUERIES)
    with django_assert_num_queries(12 + facet_limit_queries(NetworkFilterSet)):
        response = client.get("/network/", {"country": "XK"})
    page = response.content.decode()
    assert 'id="network-nodes"' in page and 'id="network-edges"' in page
    data = json.loads(page.split('id="network-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["nodes"]) == Partner.objects.published().filter(country__code="XK").count()


def test_network_page_ignores_bad_parameters_with_a_message(client):
    response = client.get("/network/", {"country": "ZZZ", "links_page": "x", "colour": "red"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ignored country=ZZZ" in page and "colour" in page


def test_partner_page_shows_its_network_and_metrics(client, small):
    page = client.get("/partners/t-alpha/").content.decode()
    assert 'id="ego-h"' in page
    data = json.loads(page.split('id="network-data" type="application/json">')[1].split("</script>")[0])
    assert {n["id"] for n in data["nodes"]} == {"t-alpha", "t-bravo", "t-charlie", "t-foxtrot"}


def test_betweenness_of_a_large_network_is_estimated_the_same_each_time(monkeypatch, small):
    from networks import graph

    monkeypatch.setattr(graph, "BETWEENNESS_EXACT_UP_TO", 3)
    monkeypatch.setattr(graph, "BETWEENNESS_SAMPLES", 4)
    first = {n.id: n.betweenness for n in build_network(small).nodes}
    assert first == {n.id: n.betweenness for n in build_network(small).nodes}
    assert first["t-alpha"] > 0 and first["t-golf"] == 0


# -- the timeline --------------------------------------------------------------------------------


def test_timeline_draws_dates_at_their_precision_and_lists_the_undated(small):
    from networks.timeline import build_timeline

    timeline = build_timeline(Activity.objects.published().filter(slug__startswith="t-"), "type")
    [lane] = timeline.lanes
    spans = {i.url.rstrip("/").rsplit("/", 1)[1]: (i.first_day, i.last_day) for i in lane.items}
    assert spans == {
        "t-act-1": (datetime.date(2008, 1, 1), datetime.date(2008, 12, 31)),  # a year-long band
        "t-act-2": (datetime.date(2009, 6, 1), datetime.date(2009, 6, 30)),  # a month
        "t-act-4": (datetime.date(2010, 1, 1), datetime.date(2010, 12, 31)),
    }  # the draft activity 3 is absent
    assert [a.slug for a in timeline.undated] == ["t-act-5"]
    assert (timeline.first_year, timeline.last_year) == (2008, 2010)


def test_timeline_page_groups_filters_and_counts_the_undated(client, small, django_assert_num_queries):
    # one GROUP BY per facet of the activities list (6), the activities and their countries (2)
    with django_assert_num_queries(8 + facet_limit_queries(ActivityFilterSet)):
        response = client.get("/timeline/", {"group": "programme"})
    page = response.content.decode()
    undated = Activity.objects.published().filter(start_date=None).count()
    assert f"{undated} undated" in page and "T activity 5" in page
    assert "T activity 3" not in page  # a draft
    data = json.loads(page.split('id="timeline-data" type="application/json">')[1].split("</script>")[0])
    assert "No programme" in {lane["label"] for lane in data["lanes"]}
    bad = client.get("/timeline/", {"group": "colour"}).content.decode()
    assert "Ignored group=colour" in bad


def test_link_selects_the_kinds_of_link_drawn_and_measured_not_the_partners():
    everything, _f = network_for(QueryDict())
    members, _f = network_for(QueryDict("link=member-of&link=part-of"))
    assert {e.kind for e in members.edges} == {"member-of", "part-of"}
    assert len(members.nodes) == len(everything.nodes)
    assert sum(n.degree for n in members.nodes) < sum(n.degree for n in everything.nodes)
    response = APIClient().get(API, {"link": "friendship"})
    assert response.status_code == 400 and "link" in response.json()


def test_network_page_offers_the_kinds_of_link(client):
    page = client.get("/network/", {"link": "member-of"}).content.decode()
    assert 'name="link" value="member-of" checked' in page
    assert "Kind of link:</span> is a member of" in page


def edge_facts(network):
    return [
        (e.id, e.weight, [r.key for r in e.records], e.cross_border, e.cross_sector) for e in network.edges
    ]


def test_a_partners_network_built_alone_is_its_part_of_the_whole_network():
    """At scale the partner page builds the partner's links alone (the whole network would take
    minutes): the same edges, weights, records and degrees as cut out of the whole network."""
    from networks import graph

    whole = graph.full_network()
    hubs = sorted(whole.nodes, key=lambda n: (-n.degree, n.id))[:6]
    assert hubs[0].degree > 10
    for hub in hubs:
        alone = graph.ego_network(Partner.objects.get(slug=hub.id))
        assert edge_facts(alone) == edge_facts(whole.ego(hub.id)), hub.id
        focus = alone.node(hub.id)
        assert (focus.degree, focus.weighted_degree) == (hub.degree, hub.weighted_degree)
        assert focus.betweenness is None  # a whole-network measure: not claimed


def test_a_large_networks_partner_page_shows_the_strongest_links_and_says_how_many(client, monkeypatch):
    from networks import graph

    monkeypatch.setattr(graph, "WHOLE_NETWORK_UP_TO", 0)
    monkeypatch.setattr(graph, "EGO_LINKS_SHOWN", 3)
    monkeypatch.setattr(graph, "EGO_RECORDS_SHOWN", 1)
    hub = max(graph.full_network().nodes, key=lambda n: (n.degree, n.id))
    page = client.get(f"/partners/{hub.id}/").content.decode()
    data = json.loads(page.split('id="network-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["edges"]) == 3 and data["focus"] == hub.id
    whole = graph.full_network().ego(hub.id)
    assert f"The strongest 3 of {len(whole.edges)} links" in page
    strongest = max(whole.edges, key=lambda e: e.weight)
    assert strongest.weight > 2
    # each link with its latest record, the others counted, its weight whole
    top = max(data["edges"], key=lambda e: e[4])
    assert top[4] == strongest.weight and len(top[5]) == 1
    assert f"and {strongest.weight - 1} earlier records" in page
    assert "Bridging (betweenness)" not in page and "too large to measure" in page
