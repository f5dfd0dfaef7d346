"""Hostile values in every path segment and query parameter of every page and API route (a fixed
sample of wps_portal.fuzzing's cases; scripts/html-fuzz runs them all): never a 5xx."""

import pytest
from django.test import Client

from wps_portal import fuzzing

pytestmark = pytest.mark.django_db

SAMPLE_SIZE = 700


def test_every_route_is_fuzzed():
    templates = {route.template for route in fuzzing.routes()}
    for expected in ("partners/", "countries/\x00PARAM\x00/", "search/", "api/v1/schema/", "admin/login/"):
        assert expected in templates
    assert not any(t.startswith("admin/") and t != "admin/login/" for t in templates)
    partners = next(route for route in fuzzing.routes() if route.template == "partners/")
    assert {"country", "kind", "q", "sort", "page"} <= set(partners.params)


def test_the_sample_is_fixed_and_covers_every_hostile_path_segment():
    urls = fuzzing.sample(SAMPLE_SIZE)
    assert urls == fuzzing.sample(SAMPLE_SIZE)
    assert "/countries/%00/" in urls
    schema = [url for url in fuzzing.cases() if url.startswith("/api/v1/schema/?")]
    assert any("version=%00" in url for url in schema)
    assert "/api/v1/schema/?version=%FF%FE%C0%AF" in schema


def test_no_hostile_request_gets_a_server_error():
    count, failures = fuzzing.run(Client(raise_request_exception=False), fuzzing.sample(SAMPLE_SIZE))
    assert count >= SAMPLE_SIZE
    assert not failures, "\n".join(str(failure) for failure in failures[:20])
