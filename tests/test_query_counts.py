"""Exact query counts of the main pages and API calls, at corpus size and with synthetic records
added: a page that goes from 5 queries to 6 (an N+1, a lost cache) fails here.

The expected counts are in tests/query_counts.json, per database. After a deliberate change:

    UPDATE_QUERY_COUNTS=1 .venv/bin/python -m pytest tests/test_query_counts.py
    UPDATE_QUERY_COUNTS=1 DATABASE_URL=postgres://… .venv/bin/python -m pytest tests/test_query_counts.py

and commit the file (the diff shows which requests changed).
"""

import json
import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wps_portal import synthetic

pytestmark = pytest.mark.django_db

BASELINE = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("UPDATE_QUERY_COUNTS") == "1"

URLS = [
    "/",
    "/partners/",
    "/partners/?country=XK&kind=network&kind=womens-ngo",
    "/partners/?q=zene+zenama",
    "/partners/zene-zenama/",
    "/activities/",
    "/activities/?country=XK&year_from=2008&year_to=2012",
    "/activities/?page=3",
    "/activities/rwl-establishment-2006/",
    "/case-studies/",
    "/countries/XK/",
    "/map/",
    "/search/?q=kosovo+police",
    "/api/v1/activities/",
    "/api/v1/activities/?country=XK&year_from=2008&year_to=2012",
    "/api/v1/activities/?partner=zene-zenama&page_size=100",
    "/api/v1/activities/?fields=slug,participants",
    "/api/v1/partners/",
    "/api/v1/partners/?q=zene+zenama",
    "/api/v1/activities/?format=csv&country=XK",
]


def counts(client) -> dict[str, dict[str, int]]:
    """{url: {"cold": queries with an empty cache, "warm": queries of the same request again}}"""
    result = {}
    for url in URLS:
        cache.clear()
        runs = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                assert response.status_code == 200, url
                if response.streaming:
                    b"".join(response.streaming_content)
            runs.append(len(captured))
        result[url] = {"cold": runs[0], "warm": runs[1]}
    return result


def test_query_counts_match_the_baseline_at_two_sizes(client):
    small = counts(client)
    synthetic.seed(partners=60, activities=600, seed=9)
    cache.clear()
    large = counts(client)
    assert small == large, "query counts grew with the number of records"
    stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if UPDATE:
        stored[connection.vendor] = small
        BASELINE.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
        return
    assert connection.vendor in stored, "no baseline for this database: run with UPDATE_QUERY_COUNTS=1"
    differing = {
        url: {"expected": stored[connection.vendor].get(url), "now": now}
        for url, now in small.items()
        if stored[connection.vendor].get(url) != now
    }
    assert not differing, f"query counts changed (UPDATE_QUERY_COUNTS=1 to accept): {differing}"
