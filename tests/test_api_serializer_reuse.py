"""Reads serialise with a serializer tree built once per thread (wps_portal.api.serializers.represent)
and URLs from a template reversed once (api_path): the same JSON as a serializer built afresh for
each request and Django's reverse(), whatever the request, language or fields before."""

import pytest
from django.urls import reverse

from wps_portal.api import serializers, views
from wps_portal.api.serializers import api_path
from wps_portal.api.urls import RESOURCES

pytestmark = pytest.mark.django_db


def fresh(serializer_class, instance, *, context, fields=None, many=False):
    return serializer_class(instance, many=many, fields=fields, context=context).data


def every_page(client, url, **headers):
    pages = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content[:300]
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


# Each resource is read in turn in these ways, so every tree is reused by a request with another
# host, language or fields than the one it was built for.
WAYS = [
    ("", {}),
    ("lang=sq", {"HTTP_HOST": "other.example"}),
    ("", {"HTTP_ACCEPT_LANGUAGE": "sr"}),
    ("brief=1", {}),
    ("omit=html_url", {"HTTP_HOST": "other.example"}),
]


def read_every_way(client, name):
    answers = []
    for query, headers in WAYS:
        answers.append(every_page(client, f"/api/v1/{name}/?page_size=500&{query}", **headers))
        detail = answers[-1][0]["results"][0]["url"]
        answers.append(client.get(f"{detail}?{query}", **headers).json())
    return answers


@pytest.mark.parametrize("name", [name for name, _basename in RESOURCES])
def test_every_record_read_through_a_reused_tree_is_a_fresh_serializers(client, monkeypatch, settings, name):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    reused = read_every_way(client, name)
    monkeypatch.setattr(views, "represent", fresh)
    assert reused == read_every_way(client, name)
    assert "other.example" in str(reused[-1])


@pytest.mark.parametrize(
    ("view_name", "kwarg", "value"),
    [
        ("api:activity-detail", "slug", "a-slug_1"),
        ("api:activity-detail", "slug", "a.b~c"),
        ("api:activity-detail", "slug", "žene ženama"),  # quoted by reverse(): not a template's
        ("api:activity-detail", "slug", "a?b#c&d"),
        ("api:country-detail", "code", "XK"),
        ("api:source-detail", "key", "un-women-2010:report"),
        ("api:partner-detail", "slug", 42),
        ("api:activity-list", None, None),
    ],
)
def test_api_paths_are_reverses(view_name, kwarg, value):
    kwargs = {kwarg: value} if kwarg else None
    assert api_path(view_name, kwarg, value) == reverse(view_name, kwargs=kwargs)


def test_threads_reading_at_once_each_get_their_own_tree(rf, settings):
    from concurrent.futures import ThreadPoolExecutor

    from partners.api.serializers import PartnerSerializer
    from partners.models import Partner

    settings.ALLOWED_HOSTS = ["*"]
    partners = list(PartnerSerializer.eager_load(Partner.objects.published())[:20])

    def read(n):
        context = {"request": rf.get("/", HTTP_HOST=f"host{n}.example")}
        got = serializers.represent(PartnerSerializer, partners, context=context, many=True)
        return got == fresh(PartnerSerializer, partners, context=context, many=True), n

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(same for same, _n in pool.map(read, range(24)))


def test_idle_trees_are_bounded(client):
    from itertools import combinations

    names = ["slug", "name", "acronym", "kind", "scope", "founded_year", "description"]
    chosen = [",".join(c) for n in (2, 3) for c in combinations(names, n)]  # 56 combinations
    assert len(chosen) > serializers.IDLE_TREES
    for fields in chosen:
        assert client.get(f"/api/v1/partners/?fields={fields}").status_code == 200
    assert serializers._idle_count == sum(map(len, serializers._idle.values())) == serializers.IDLE_TREES
