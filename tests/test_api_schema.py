"""The REST API v1's contract: the OpenAPI schema, its offline documentation pages, the browsable
API on large tables, and anonymous throttling."""

import re

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from partners.choices import PartnerKind, Role

pytestmark = pytest.mark.django_db

API = "/api/v1/"
LISTS = ["partners", "countries", "programmes", "phases", "activities", "case-studies", "lessons",
         "approaches", "issue-boxes", "sources"]  # fmt: skip


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_endpoint_serves_it():
    response = APIClient().get(f"{API}schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/partners/" in response.json()["paths"]


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_and_detail_is_documented_with_its_errors(schema, resource):
    listing = schema["paths"][f"/api/v1/{resource}/"]["get"]["responses"]
    assert {"200", "400", "404", "429"} <= set(listing)
    assert "Retry-After" in listing["429"]["headers"]
    assert set(listing["200"]["content"]) == {"application/json"}  # the CSV has its own path
    export = schema["paths"][f"/api/v1/{resource}.csv"]["get"]["responses"]
    assert set(export["200"]["content"]) == {"text/csv"}
    detail_path = next(p for p in schema["paths"] if p.startswith(f"/api/v1/{resource}/{{"))
    assert {"200", "404", "429"} <= set(schema["paths"][detail_path]["get"]["responses"])


def test_vocabulary_filters_are_documented_with_their_allowed_values(schema):
    partner = parameters(schema, "/api/v1/partners/")
    assert set(partner["kind"]["schema"]["items"]["enum"]) == set(PartnerKind.values)
    assert set(partner["role"]["schema"]["items"]["enum"]) == set(Role.values)
    assert "-name" in partner["ordering"]["schema"]["items"]["enum"]
    assert "-name" in partner["sort"]["schema"]["items"]["enum"]
    activity = parameters(schema, "/api/v1/activities/")
    assert "training" in activity["type"]["schema"]["items"]["enum"]
    assert activity["year_from"]["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2100}
    assert "/api/v1/countries/" in activity["country"]["description"]
    assert "format" not in activity  # a JSON operation is JSON only; the CSV is its own operation
    for name in ("q", "search", "page", "page_size", "fields", "omit", "brief", "partner", "phase",
                 "programme", "approach", "role", "year_to"):  # fmt: skip
        assert activity[name]["schema"].get("type"), name
    case_study = parameters(schema, "/api/v1/case-studies/")
    assert "networking" in case_study["section"]["schema"]["items"]["enum"]


def test_related_records_are_written_by_key_and_read_as_summaries(schema):
    components = schema["components"]["schemas"]
    assert components["BriefPartnerRequest"]["type"] == "string"
    assert set(components["BriefPartner"]["properties"]) == {"slug", "name", "acronym", "url"}


@pytest.mark.parametrize("page", ["docs/", "redoc/"])
def test_documentation_pages_load_nothing_from_another_host(page):
    response = APIClient().get(f"{API}{page}")
    assert response.status_code == 200
    html = response.content.decode()
    external = [url for url in re.findall(r"https?://[^\s\"'<>)]+", html) if "testserver" not in url]
    assert external == []
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert APIClient().get(asset).status_code == 200, asset


def test_browsable_api_renders_no_filter_form_of_related_records(django_assert_max_num_queries):
    client = APIClient()
    with django_assert_max_num_queries(12):
        response = client.get(f"{API}activities/?page_size=5", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<option" not in html  # no select listing every partner, phase or approach


def test_browsable_api_for_a_curator_renders_no_select_of_every_record(django_assert_max_num_queries):
    from django.contrib.auth.models import User

    client = APIClient()
    client.force_login(User.objects.create_superuser("admin", password="x"))
    with django_assert_max_num_queries(20):
        response = client.get(f"{API}activities/?page_size=5", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response.content.decode().count("<option") < 20


def test_anonymous_throttling_is_a_429_with_retry_after(monkeypatch):
    from partners.api.views import PartnerViewSet

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    monkeypatch.setattr(PartnerViewSet, "throttle_classes", [AnonRateThrottle])
    client = APIClient()
    assert client.get(f"{API}partners/").status_code == 200
    assert client.get(f"{API}partners/").status_code == 200
    response = client.get(f"{API}partners/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()
    cache.clear()


def test_throttle_rate_comes_from_the_environment(monkeypatch):
    import importlib

    from wps_portal import settings as settings_module

    monkeypatch.setenv("API_ANON_RATE", "7/min")
    reloaded = importlib.reload(settings_module)
    try:
        assert reloaded.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "7/min"
        assert reloaded.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
        monkeypatch.setenv("API_ANON_RATE", "none")
        reloaded = importlib.reload(settings_module)
        assert reloaded.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == []
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)


def test_every_read_documents_the_lang_parameter(schema):
    from django.conf import settings

    reads = [op for path in schema["paths"].values() for method, op in path.items() if method == "get"]
    assert reads
    for op in reads:
        lang = [p for p in op.get("parameters", []) if p["name"] == "lang" and p["in"] == "query"]
        assert lang, op["operationId"]
        assert sorted(lang[0]["schema"]["enum"]) == sorted(code for code, _ in settings.LANGUAGES)
        assert "400" in op["responses"], op["operationId"]  # a language not offered is a 400
