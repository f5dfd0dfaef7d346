"""The partners' reconciliation service (W3C Entity Reconciliation API 0.2): the manifest and the
result batches have the shapes the protocol mandates (checked with JSON Schemas written here from
the specification, since no package ships the protocol's own), names match in the spellings and
scripts the search handles, types, limits and properties work, drafts are never candidates, and
bad input is a 400 naming the parameter."""

import json

import jsonschema
import pytest
from rest_framework.test import APIClient

from partners.models import Alias, Partner
from wps_portal import cache, services

pytestmark = pytest.mark.django_db

URL = "/api/v1/reconcile/"

# The specification's shapes: a manifest must give versions (with "0.2"), name, identifierSpace
# and schemaSpace; view.url is a template holding {{id}}; types are {id, name}.
TYPE = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
MANIFEST = {
    "type": "object",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}, "contains": {"const": "0.2"}},
        "name": {"type": "string"},
        "identifierSpace": {"type": "string"},
        "schemaSpace": {"type": "string"},
        "documentation": {"type": "string"},
        "defaultTypes": {"type": "array", "items": TYPE, "uniqueItems": True},
        "view": {
            "type": "object",
            "required": ["url"],
            "properties": {"url": {"type": "string", "pattern": r"\{\{id\}\}"}},
        },
    },
}
# A result batch: every query id maps to {result: [candidate…]}; a candidate has id, name and a
# numeric score, optionally description, match (boolean), type (ids or {id, name}) and features
# ({id, value: boolean or number}).
CANDIDATE = {
    "type": "object",
    "required": ["id", "name", "score"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "score": {"type": "number"},
        "match": {"type": "boolean"},
        "type": {
            "type": "array",
            "items": {
                "oneOf": [
                    {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
                    {"type": "string"},
                ]
            },
        },
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "value": {"type": ["boolean", "number"]}},
            },
        },
    },
}
RESULT_BATCH = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["result"],
        "properties": {"result": {"type": "array", "items": CANDIDATE}},
    },
}


@pytest.fixture
def api():
    return APIClient()


def reconcile(api, queries, method="get"):
    send = api.get if method == "get" else api.post
    response = send(URL, {"queries": json.dumps(queries)})
    assert response.status_code == 200, response.content
    batch = response.json()
    jsonschema.validate(batch, RESULT_BATCH)
    assert set(batch) == set(queries)
    for answer in batch.values():
        scores = [c["score"] for c in answer["result"]]
        assert scores == sorted(scores, reverse=True), "ranked, best first"
        assert all(0 <= s <= 100 for s in scores)
        assert sum(c["match"] for c in answer["result"]) <= 1
    return batch


def ids(answer):
    return [c["id"] for c in answer["result"]]


def test_manifest_has_the_protocols_shape_and_its_view_opens_the_partner(api, client):
    response = api.get(URL)
    assert response.status_code == 200
    manifest = response.json()
    jsonschema.validate(manifest, MANIFEST)
    assert {"womens-ngo", "un", "partner"} <= {t["id"] for t in manifest["defaultTypes"]}
    partner = Partner.objects.published().first()
    page = manifest["view"]["url"].replace("{{id}}", partner.slug).removeprefix("http://testserver")
    assert client.get(page).status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "query, slug",
    [
        ("Kosovo Women's Network", "kosovo-womens-network"),
        ("kosovo womens network", "kosovo-womens-network"),
        ("KWN", "kosovo-womens-network"),
        ("Rrjeti i Grave te Kosoves", "kosovo-womens-network"),  # Albanian name without ë
        ("Косовска полиција", "kosovo-police"),  # the Serbian name in Cyrillic
        ("Zene Zenama", "zene-zenama"),
    ],
)
def test_a_name_in_any_spelling_or_script_the_search_handles_is_a_match(api, query, slug):
    assert Partner.objects.published().filter(slug=slug).exists()
    best = reconcile(api, {"q0": {"query": query}})["q0"]["result"][0]
    assert (best["id"], best["score"], best["match"]) == (slug, 100, True)


def test_a_partial_name_ranks_candidates_without_claiming_a_match(api):
    answer = reconcile(api, {"q0": {"query": "womens network kosovo region"}})["q0"]
    assert answer["result"] and not any(c["match"] for c in answer["result"])
    assert all(c["score"] < 100 for c in answer["result"])


def test_limit_and_type_restrict_the_candidates(api):
    batch = reconcile(
        api,
        {
            "all": {"query": "women"},
            "two": {"query": "women", "limit": 2},
            "un": {"query": "women", "type": "un"},
            "either": {"query": "women", "type": ["un", "womens-ngo"]},
            "both": {"query": "women", "type": ["un", "womens-ngo"], "type_strict": "all"},
        },
    )
    assert len(batch["all"]["result"]) > 2 and ids(batch["two"]) == ids(batch["all"])[:2]
    assert batch["un"]["result"] and {c["type"][0]["id"] for c in batch["un"]["result"]} == {"un"}
    assert {c["type"][0]["id"] for c in batch["either"]["result"]} == {"un", "womens-ngo"}
    assert batch["both"]["result"] == []


def test_a_country_property_raises_the_candidate_based_there(api):
    query = "Agency for Gender Equality"
    batch = reconcile(
        api,
        {
            "plain": {"query": query},
            "BA": {"query": query, "properties": [{"pid": "country", "v": "BA"}]},
            "XK": {
                "query": query,
                "properties": [{"pid": "country", "v": {"id": "Kosovo", "name": "Kosovo"}}],
            },
        },
    )
    assert ids(batch["BA"])[0] == "agency-for-gender-equality-bih"
    assert ids(batch["XK"])[0] == "agency-for-gender-equality-kosovo"
    plain = {c["id"]: c["score"] for c in batch["plain"]["result"]}
    raised = batch["BA"]["result"][0]
    assert raised["score"] > plain["agency-for-gender-equality-bih"] or raised["score"] == 100
    assert {"id": "country", "value": True} in raised["features"]


def test_a_contradicted_property_rules_out_match(api):
    answer = reconcile(api, {"q": {"query": "KWN", "properties": [{"pid": "country", "v": "RS"}]}})["q"]
    best = answer["result"][0]
    assert best["id"] == "kosovo-womens-network" and best["match"] is False
    assert {"id": "country", "value": False} in best["features"]


def test_post_form_gives_what_get_gives(api):
    queries = {"a": {"query": "Žene Ženama"}, "b": {"query": "OSCE", "limit": 3}}
    assert reconcile(api, queries, "post") == reconcile(api, queries)


def test_a_query_with_only_properties_has_no_candidates(api):
    assert reconcile(api, {"q": {"properties": [{"pid": "country", "v": "XK"}]}})["q"]["result"] == []


def test_a_draft_partner_is_never_a_candidate(api):
    partner = Partner.objects.get(slug="kosovo-womens-network")
    services.update(Partner.objects.filter(pk=partner.pk), status="draft")
    cache.bump()
    for query in (partner.name, "KWN", *Alias.objects.filter(partner=partner).values_list("name", flat=True)):
        assert partner.slug not in ids(reconcile(api, {"q": {"query": query}})["q"])


@pytest.mark.parametrize(
    "queries, says",
    [
        ("{not json", "JSON"),
        ("[]", "object"),
        (json.dumps({"q": "KWN"}), "q:"),
        (json.dumps({"q": {"query": "KWN", "limit": 0}}), "limit"),
        (json.dumps({"q": {"query": "KWN", "limit": "3"}}), "limit"),
        (json.dumps({"q": {"query": "KWN", "limit": True}}), "limit"),
        (json.dumps({"q": {"query": "KWN", "type": "cat"}}), "cat"),
        (json.dumps({"q": {"query": "KWN", "type_strict": "some"}}), "type_strict"),
        (json.dumps({"q": {"query": "KWN", "colour": "red"}}), "colour"),
        (json.dumps({"q": {"query": 5}}), "query"),
        (json.dumps({"q": {"query": "KWN", "properties": {"pid": "country"}}}), "properties"),
        (json.dumps({"q": {"query": "KWN", "properties": [{"pid": "founded", "v": 1}]}}), "founded"),
        (json.dumps({"q": {"query": "KWN", "properties": [{"pid": "country", "v": None}]}}), "value"),
        (json.dumps({"q": {}}), "query"),
        (json.dumps({f"q{i}": {"query": "x"} for i in range(51)}), "50"),
    ],
)
def test_bad_queries_are_400s_naming_the_parameter_and_the_query(api, queries, says):
    for send in (api.get, api.post):
        response = send(URL, {"queries": queries})
        assert response.status_code == 400
        message = response.json()["queries"][0]
        assert says in message


def test_unsupported_protocol_parts_are_400s_naming_them(api):
    response = api.get(URL, {"extend": "{}"})
    assert response.status_code == 400 and "extend" in response.json()


def test_the_service_is_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/reconcile/"]
    assert {"get", "post"} <= set(operations)
    assert "queries" in {p["name"] for p in operations["get"]["parameters"]}
    assert "400" in operations["get"]["responses"]
