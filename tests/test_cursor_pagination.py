"""Keyset (cursor) pagination of the API lists, and a search's relevance order over every match."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from activities.models import Activity
from partners.models import Partner
from wps_portal import synthetic
from wps_portal.search import engine

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def client():
    return APIClient()


def by_pages(client, url):
    slugs, page = [], 1
    while True:
        body = client.get(f"{url}&page={page}").json()
        slugs += [row["slug"] for row in body["results"]]
        if not body["next"]:
            return slugs
        page += 1


def by_cursor(client, url):
    """(slugs walking next links, slugs walking back from the last page by previous links)."""
    slugs, visited, link = [], [], f"{url}&cursor="
    while link:
        response = client.get(link)
        assert response.status_code == 200, response.content
        body = response.json()
        slugs += [row["slug"] for row in body["results"]]
        visited.append(body)
        link = body["next"]
    back, body = [], visited[-1]
    back = [row["slug"] for row in body["results"]]
    while body["previous"]:
        body = client.get(body["previous"]).json()
        back = [row["slug"] for row in body["results"]] + back
    return slugs, back


@pytest.mark.parametrize(
    "url",
    [
        f"{API}activities/?page_size=11",
        f"{API}activities/?page_size=11&ordering=-start",  # undated activities: NULLs in the key
        f"{API}activities/?page_size=11&ordering=type",  # ties broken by the primary key
        f"{API}activities/?page_size=11&country=XK",
        f"{API}partners/?page_size=9&ordering=-name",
        f"{API}partners/?page_size=9&q=women",  # relevance order
        f"{API}activities/?page_size=11&q=women&ordering=-type,relevance",  # relevance as a later key
    ],
)
def test_cursor_pages_hold_the_same_rows_as_page_numbers_both_ways(client, url):
    expected = by_pages(client, url)
    assert len(expected) > 20
    forward, backward = by_cursor(client, url)
    assert forward == expected
    assert backward == expected


def test_undated_activities_are_neither_repeated_nor_skipped(client):
    assert Activity.objects.published().filter(start_date__isnull=True).exists()
    for ordering in ("start", "-start"):
        forward, _ = by_cursor(client, f"{API}activities/?page_size=7&ordering={ordering}")
        assert len(forward) == len(set(forward)) == Activity.objects.published().count()


def test_link_header_names_next_and_previous(client):
    first = client.get(f"{API}activities/?page_size=5&cursor=")
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    second = client.get(first.json()["next"])
    assert 'rel="next"' in second["Link"] and 'rel="prev"' in second["Link"]
    numbered = client.get(f"{API}activities/?page_size=5&page=2")
    assert "page=3" in numbered["Link"] and "page_size=5" in numbered["Link"]


@pytest.mark.parametrize(
    "query",
    ["cursor=not-a-cursor", "cursor=e30&page=2", "cursor=eyJmIjoiMDAwMDAwMDAiLCJkIjoibiIsInYiOlsxXX0"],
)
def test_a_bad_cursor_is_a_400_naming_the_parameter(client, query):
    response = client.get(f"{API}activities/?{query}")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_of_another_order_is_refused(client):
    token = client.get(f"{API}activities/?page_size=5&cursor=").json()["next"].split("cursor=")[1]
    token = token.split("&")[0]
    response = client.get(f"{API}activities/?page_size=5&ordering=title&cursor={token}")
    assert response.status_code == 400 and "cursor" in response.json()


def test_a_deep_cursor_page_runs_the_queries_of_the_first(client):
    synthetic.seed(partners=20, activities=300, seed=3)
    url = f"{API}activities/?page_size=10&fields=slug,title"
    link, counts = f"{url}&cursor=", []
    for _ in range(25):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(link).json()
        counts.append(len(captured))
        link = body["next"]
    assert len(set(counts[1:])) == 1, counts  # the first page has no previous cursor to read


def test_relevance_orders_every_match_not_only_the_first_ones(client, monkeypatch):
    monkeypatch.setattr(engine, "RANK_LIMIT", 3)  # SQL's CASE covers 3; the pages must not rely on it
    ranked = [hit.pk for hit in engine.run("women", kinds=[Partner], restrict=False).hits]
    published = set(Partner.objects.published().values_list("pk", flat=True))
    expected = [Partner.objects.get(pk=pk).slug for pk in ranked if pk in published]
    assert len(expected) > 20
    assert by_pages(client, f"{API}partners/?page_size=7&q=women") == expected
    assert by_pages(client, f"{API}partners/?page_size=7&q=women&ordering=-relevance") == expected[::-1]
