"""schemathesis hooks for scripts/api-fuzz (loaded through SCHEMATHESIS_HOOKS).

``fields``, ``omit`` and ``brief`` are projections: the response then holds only the chosen
fields, while the schema marks every field required (what a response holds without them). So
``response_schema_conformance`` is run here as ``projection_aware_schema_conformance``: a
response to a request without a projection must match the schema exactly; one with a projection
must hold only the chosen fields (``fields``) and none of the omitted ones (``omit``). That a
projected value equals the full record's is tested in tests/test_api_contract.py.
"""

import json

import schemathesis
from schemathesis.specs.openapi.checks import response_schema_conformance

PROJECTIONS = ("fields", "omit", "brief")


def _names(value) -> set[str]:
    items = value if isinstance(value, list) else [value]
    return {name.strip() for item in items for name in str(item).split(",") if name.strip()}


def _records(body):
    if isinstance(body, dict) and isinstance(body.get("results"), list) and "count" in body:
        return body["results"]
    return [body]


@schemathesis.check
def projection_aware_schema_conformance(ctx, response, case):
    query = case.query or {}
    projected = {
        name: query[name] for name in PROJECTIONS if query.get(name) not in (None, "", [], False, "false")
    }
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if (
        not projected
        or case.method.upper() != "GET"  # OPTIONS (stateful phase) describes the view, not a record
        or response.status_code != 200
        or not content_type.startswith("application/json")
    ):
        return response_schema_conformance(ctx, response, case)  # a CSV's schema is a string
    records = _records(json.loads(response.content))
    chosen, omitted = _names(projected.get("fields", [])), _names(projected.get("omit", []))
    for record in records:
        if not isinstance(record, dict):
            raise AssertionError(f"A projected record is not an object: {record!r}")
        keys = set(record)
        if chosen and not keys <= chosen:
            raise AssertionError(f"fields={sorted(chosen)} but the record has {sorted(keys - chosen)}")
        if keys & omitted:
            raise AssertionError(f"omit={sorted(omitted)} but the record has {sorted(keys & omitted)}")
    return None
