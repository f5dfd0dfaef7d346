"""The REST API v1, read side: every resource's list and detail, filters, search, ordering,
fields/omit/brief, CSV, pagination, errors, conditional GET and query budgets."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.db.models import Q
from rest_framework.test import APIClient

from activities.models import Activity, Phase, Programme
from casestudies.models import Approach, CaseStudy, IssueBox, Lesson
from partners.models import Country, Partner
from wps_portal.models import SourceDocument

pytestmark = pytest.mark.django_db

API = "/api/v1/"

# resource -> (published queryset, key attribute)
RESOURCES = {
    "partners": (lambda: Partner.objects.published(), "slug"),
    "countries": (lambda: Country.objects.all(), "code"),
    "programmes": (lambda: Programme.objects.published(), "slug"),
    "phases": (lambda: Phase.objects.filter(programme__status="published"), "slug"),
    "activities": (lambda: Activity.objects.published(), "slug"),
    "case-studies": (lambda: CaseStudy.objects.published(), "slug"),
    "lessons": (lambda: Lesson.objects.published(), "slug"),
    "approaches": (lambda: Approach.objects.published(), "slug"),
    "issue-boxes": (lambda: IssueBox.objects.published(), "slug"),
    "sources": (lambda: SourceDocument.objects.all(), "key"),
}


@pytest.fixture
def client():
    return APIClient()


def keys(client, url, key="slug", **params):
    """The keys of every row (one page of 500), params added to the URL's own query string."""
    query = urlencode({"page_size": 500, **params}, doseq=True)
    response = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


# -- root, list, detail ------------------------------------------------------------------------


def test_root_lists_every_resource(client):
    body = client.get(API).json()
    for name in RESOURCES:
        assert body[name].endswith(f"{API}{name}/")
    assert body["schema"].endswith("/api/v1/schema/")


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_holds_exactly_the_published_records(client, resource):
    queryset, key = RESOURCES[resource]
    expected = set(queryset().values_list(key, flat=True))
    assert expected, f"the corpus has no {resource}"
    body = client.get(f"{API}{resource}/", {"page_size": 500}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(expected)
    assert {row[key] for row in body["results"]} == expected


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_by_natural_key_links_to_itself_and_its_page(client, resource):
    queryset, key = RESOURCES[resource]
    record = queryset().first()
    url = f"{API}{resource}/{getattr(record, key)}/"
    body = client.get(url).json()
    assert body[key] == getattr(record, key)
    assert body["url"] == f"http://testserver{url}"
    assert body["html_url"] == f"http://testserver{record.get_absolute_url()}"


@pytest.mark.parametrize("resource", RESOURCES)
def test_unknown_key_is_a_404_with_a_json_message(client, resource):
    response = client.get(f"{API}{resource}/no-such-record-zz/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_draft_partner_is_absent_from_list_and_detail(client):
    partner = Partner.objects.published().first()
    Partner.objects.filter(pk=partner.pk).update(status="draft")
    assert partner.slug not in keys(client, f"{API}partners/")
    assert client.get(f"{API}partners/{partner.slug}/").status_code == 404


def test_activity_fields_other_systems_rely_on(client):
    activity = (
        Activity.objects.published().filter(participations__isnull=False, start_date__isnull=False).first()
    )
    body = client.get(f"{API}activities/{activity.slug}/").json()
    for field in (
        "slug", "title", "summary", "type", "start", "end", "date_precision", "location", "countries",
        "participants", "programme", "phase", "url", "html_url", "citations",
    ):  # fmt: skip
        assert field in body
    assert body["start"] == activity.start  # ISO at its precision: "2010", "2010-06" or "2010-06-15"
    assert len(body["start"]) == {"year": 4, "month": 7, "day": 10}[activity.start_precision]
    participant = body["participants"][0]
    assert set(participant["partner"]) == {"slug", "name", "acronym", "url"}
    assert participant["role"]
    assert set(body["citations"][0]) == {"source", "excerpt", "section", "locator", "verified", "verified_at"}
    assert body["citations"][0]["verified"] is True  # the corpus is loaded with its source texts
    # Where in the source the excerpt was found (from its headings), as the page shows it.
    citation = activity.citations.order_by("order", "pk").first()
    assert body["citations"][0]["locator"] == citation.locator


def test_partner_detail_links_to_its_activities_and_case_studies(client):
    partner = Partner.objects.published().filter(participations__isnull=False).first()
    body = client.get(f"{API}partners/{partner.slug}/").json()
    assert body["activities_url"].endswith(f"/api/v1/activities/?partner={partner.slug}")
    assert body["case_studies_url"].endswith(f"/api/v1/case-studies/?partner={partner.slug}")
    assert client.get(body["activities_url"]).json()["count"] >= 1
    for field in ("aliases", "kind", "scope", "country", "parent", "description", "citations"):
        assert field in body


def test_case_study_and_lesson_fields(client):
    case_study = CaseStudy.objects.published().filter(lessons__isnull=False).first()
    body = client.get(f"{API}case-studies/{case_study.slug}/").json()
    for field in ("number", "section", "country", "results", "lessons", "partners", "approaches"):
        assert field in body
    lesson = client.get(body["lessons"][0]["url"]).json()
    assert lesson["case_study"]["slug"] == case_study.slug
    assert lesson["approach"] is None
    assert {"text", "order", "citations"} <= set(lesson)


# -- filters, search, ordering -----------------------------------------------------------------


def first(queryset, path):
    value = queryset.exclude(**{f"{path}__isnull": True}).values_list(path, flat=True).first()
    assert value is not None, f"the corpus has no value for {path}"
    return value


FILTERS = [
    ("partners", "country", lambda: first(Partner.objects.published(), "country__code"), "country__code"),
    ("partners", "kind", lambda: first(Partner.objects.published(), "kind"), "kind"),
    ("partners", "scope", lambda: first(Partner.objects.published(), "scope"), "scope"),
    ("partners", "role", lambda: "implementing", "participations__role"),
    ("partners", "programme", lambda: first(Programme.objects.published(), "slug"),
     "participations__activity__programme__slug"),
    ("partners", "phase", lambda: first(Phase.objects.all(), "slug"), "participations__activity__phase__slug"),
    ("partners", "approach", lambda: first(Approach.objects.published().filter(case_studies__isnull=False), "slug"),
     "case_study_roles__case_study__approaches__slug"),
    ("activities", "country", lambda: "XK", "countries__code"),
    ("activities", "type", lambda: first(Activity.objects.published(), "type"), "type"),
    ("activities", "programme", lambda: first(Activity.objects.published(), "programme__slug"), "programme__slug"),
    ("activities", "phase", lambda: first(Activity.objects.published(), "phase__slug"), "phase__slug"),
    ("activities", "partner", lambda: first(Activity.objects.published(), "participations__partner__slug"),
     "participations__partner__slug"),
    ("activities", "role", lambda: "funding", "participations__role"),
    ("case-studies", "section", lambda: first(CaseStudy.objects.published(), "section"), "section"),
    ("case-studies", "country", lambda: first(CaseStudy.objects.published(), "country__code"), "country__code"),
    ("case-studies", "approach", lambda: first(CaseStudy.objects.published(), "approaches__slug"),
     "approaches__slug"),
    ("case-studies", "partner", lambda: first(CaseStudy.objects.published(), "partner_roles__partner__slug"),
     "partner_roles__partner__slug"),
    ("lessons", "approach", lambda: first(Lesson.objects.published(), "approach__slug"), "approach__slug"),
    ("lessons", "section", lambda: first(Lesson.objects.published(), "case_study__section"),
     "case_study__section"),
    ("approaches", "kind", lambda: first(Approach.objects.published(), "kind"), "kind"),
    ("issue-boxes", "approach", lambda: first(IssueBox.objects.published(), "approach__slug"), "approach__slug"),
    ("phases", "programme", lambda: first(Phase.objects.all(), "programme__slug"), "programme__slug"),
    ("programmes", "country", lambda: first(Programme.objects.published(), "countries__code"), "countries__code"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("resource", "param", "value", "path"), FILTERS, ids=[f"{r}-{p}" for r, p, *_ in FILTERS]
)
def test_filter_returns_exactly_the_matching_records(client, resource, param, value, path):
    queryset, key = RESOURCES[resource]
    value = value()
    expected = set(queryset().filter(**{path: value}).values_list(key, flat=True))
    assert expected
    assert set(keys(client, f"{API}{resource}/", key, **{param: value})) == expected


def test_filter_with_several_values_combines_them_with_or(client):
    expected = set(
        Activity.objects.published().filter(countries__code__in=["XK", "BA"]).values_list("slug", flat=True)
    )
    got = keys(client, f"{API}activities/?country=XK&country=BA")
    assert set(got) == expected
    assert len(got) == len(expected)  # no duplicates from the join


@pytest.mark.parametrize(
    ("resource", "model_filter"),
    [
        ("activities", lambda y0, y1: Activity.objects.published().in_years(y0, y1)),
        ("partners", lambda y0, y1: Partner.objects.published().in_years(y0, y1)),
        ("case-studies", lambda y0, y1: CaseStudy.objects.published().in_years(y0, y1)),
    ],
)
def test_year_range_filter(client, resource, model_filter):
    expected = set(model_filter(2008, 2010).values_list("slug", flat=True))
    assert expected
    assert set(keys(client, f"{API}{resource}/", year_from=2008, year_to=2010)) == expected


@pytest.mark.parametrize("param", ["search", "q"])
def test_search_is_diacritic_insensitive(client, param):
    assert "zene-zenama" in keys(client, f"{API}partners/", **{param: "zene zenama"})
    assert "zene-zenama" in keys(client, f"{API}partners/", **{param: "ŽENE"})


@pytest.mark.parametrize("param", ["ordering", "sort"])
def test_ordering_by_name_both_ways(client, param):
    ascending = keys(client, f"{API}partners/", **{param: "name"})
    descending = keys(client, f"{API}partners/", **{param: "-name"})
    names = dict(Partner.objects.values_list("slug", "name"))
    assert [names[s] for s in ascending] == sorted(names[s] for s in ascending)
    assert descending == list(reversed(ascending))


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("country=ZZZ", "country"),
        ("year_from=20x1", "year_from"),
        ("ordering=bogus", "ordering"),
        ("kind=spaceship", "kind"),
        ("partner=no-such-partner", "partner"),
    ],
)
def test_bad_filter_value_is_a_400_naming_the_parameter(client, query, param):
    resource = "partners" if param == "kind" else "activities"
    response = client.get(f"{API}{resource}/?{query}")
    assert response.status_code == 400
    message = " ".join(response.json()[param])
    assert message
    if param in ("ordering", "kind"):
        assert "allowed" in message


def test_unknown_parameters_are_ignored(client):
    assert client.get(f"{API}partners/?colour=blue").status_code == 200


# -- fields, omit, brief -----------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_fields_omit_and_brief_choose_the_fields(client, resource):
    url = f"{API}{resource}/"
    full = client.get(url, {"page_size": 1}).json()["results"][0]
    chosen = list(full)[:2]
    row = client.get(url, {"page_size": 1, "fields": ",".join(chosen)}).json()["results"][0]
    assert list(row) == chosen
    row = client.get(url, {"page_size": 1, "omit": "url"}).json()["results"][0]
    assert set(row) == set(full) - {"url"}
    brief = client.get(url, {"page_size": 1, "brief": 1}).json()["results"][0]
    assert "url" in brief and len(brief) < len(full)


def test_unknown_field_name_is_a_400_listing_the_allowed(client):
    response = client.get(f"{API}partners/?fields=slug,colour")
    assert response.status_code == 400
    assert "colour" in response.json()["fields"][0] and "acronym" in response.json()["fields"][0]


def test_brief_fields_need_fewer_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # count + page: no prefetch for brief rows
        assert client.get(f"{API}activities/?brief=1&page_size=100").status_code == 200


# -- query budgets -----------------------------------------------------------------------------


def count_queries(client, url):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # counts are cached: measure each request cold
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_query_count_does_not_grow_with_page_size(client, resource):
    one = count_queries(client, f"{API}{resource}/?page_size=1")
    hundred = count_queries(client, f"{API}{resource}/?page_size=100")
    assert hundred == one
    assert one <= 12


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_query_budget(client, resource, django_assert_max_num_queries):
    queryset, key = RESOURCES[resource]
    with django_assert_max_num_queries(12):
        client.get(f"{API}{resource}/{getattr(queryset().first(), key)}/")


# -- pagination ---------------------------------------------------------------------------------


def test_default_page_size_is_50_and_more_than_500_is_a_400_naming_it(client):
    assert len(client.get(f"{API}activities/").json()["results"]) == min(
        50, Activity.objects.published().count()
    )
    response = client.get(f"{API}lessons/?page_size=100000")
    assert response.status_code == 400 and list(response.json()) == ["page_size"]


@pytest.mark.parametrize("page", ["abc", "9999"])
def test_page_that_is_not_a_number_or_past_the_end_is_a_404(client, page):
    response = client.get(f"{API}partners/?page={page}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_next_and_previous_links_walk_the_pages(client):
    body = client.get(f"{API}partners/?page_size=10&page=2").json()
    assert "page=3" in body["next"] and "page_size=10" in body["next"]
    assert body["previous"]


# -- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_csv_holds_every_filtered_row_of_every_page(client, resource):
    queryset, key = RESOURCES[resource]
    response = client.get(f"{API}{resource}/?format=csv&page_size=1")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert sorted(row[key] for row in rows) == sorted(queryset().values_list(key, flat=True))


def test_csv_applies_filters_search_and_ordering_like_json(client):
    query = "country=XK&sort=-start"
    json_keys = keys(client, f"{API}activities/?{query}")
    rows = csv_rows(client.get(f"{API}activities/?{query}&format=csv&page_size=3"))
    assert [row["slug"] for row in rows] == json_keys
    rows = csv_rows(client.get(f"{API}partners/?q=zene+zenama&format=csv"))
    assert [row["slug"] for row in rows] == keys(client, f"{API}partners/?q=zene+zenama")


def test_csv_by_accept_header_with_flat_columns(client):
    response = client.get(f"{API}activities/?fields=slug,countries,participants,url", HTTP_ACCEPT="text/csv")
    rows = csv_rows(response)
    assert list(rows[0]) == ["slug", "countries", "participants", "url"]
    with_two = next(row for row in rows if len(json.loads(row["participants"])) > 1)
    assert {"partner", "role", "note"} == set(json.loads(with_two["participants"])[0])
    assert all("format=" not in row["url"] for row in rows)


def test_csv_query_count_is_bounded_by_chunks_not_rows(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):  # one chunk of 200 rows: the rows + one query per prefetch
        b"".join(client.get(f"{API}activities/?format=csv").streaming_content)


def test_bad_filter_on_csv_is_a_json_400(client):
    response = client.get(f"{API}activities/?format=csv&country=ZZZ")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "country" in response.json()


def test_detail_has_no_csv(client):
    slug = Partner.objects.published().first().slug
    assert client.get(f"{API}partners/{slug}/?format=csv").status_code == 404


# -- conditional GET ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["partners/", "activities/?country=XK", "countries/XK/"])
def test_matching_etag_gets_a_304(client, path):
    response = client.get(f"{API}{path}")
    etag = response["ETag"]
    assert etag
    assert client.get(f"{API}{path}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(f"{API}{path}", HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_etag_changes_when_a_record_changes(client):
    partner = Partner.objects.published().order_by("name").first()
    before = client.get(f"{API}partners/{partner.slug}/")["ETag"]
    Partner.objects.filter(pk=partner.pk).update(description="Changed.")
    assert client.get(f"{API}partners/{partner.slug}/")["ETag"] != before


# -- published related records only ------------------------------------------------------------


def test_related_draft_partner_is_not_listed_among_participants(client):
    participation = Activity.objects.published().filter(participations__isnull=False).first()
    partner = participation.participations.first().partner
    Partner.objects.filter(pk=partner.pk).update(status="draft")
    body = client.get(f"{API}activities/{participation.slug}/").json()
    assert partner.slug not in [p["partner"]["slug"] for p in body["participants"]]


def test_draft_lessons_are_absent_from_a_case_study(client):
    case_study = CaseStudy.objects.published().filter(lessons__isnull=False).first()
    lesson = case_study.lessons.first()
    Lesson.objects.filter(pk=lesson.pk).update(status="draft")
    body = client.get(f"{API}case-studies/{case_study.slug}/").json()
    assert lesson.slug not in [item["slug"] for item in body["lessons"]]
    assert not Lesson.objects.filter(Q(pk=lesson.pk), status="published").exists()
