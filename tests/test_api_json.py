"""The API's JSON (orjson, wps_portal.api.renderers.JSONRenderer) is DRF's JSONRenderer's."""

import datetime
import decimal
import json
import uuid

import pytest
from django.utils.functional import lazy
from rest_framework import renderers

from wps_portal.api.renderers import JSONRenderer
from wps_portal.api.urls import RESOURCES

pytestmark = pytest.mark.django_db

DRF = renderers.JSONRenderer()


def assert_drf_json(response, same_bytes=True):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    drf = DRF.render(response.data, "application/json", {})
    assert json.loads(response.content) == json.loads(drf)
    if same_bytes:  # no floats: even the bytes are DRF's (so is the ETag)
        assert response.content == drf
    return response.data


@pytest.mark.parametrize("name", [name for name, _basename in RESOURCES])
def test_every_record_of_every_list_and_its_detail_is_drfs_json(client, name):
    url, seen = f"/api/v1/{name}/?page_size=500", 0
    while url:
        data = assert_drf_json(client.get(url))
        seen += len(data["results"])
        url = data["next"]
    assert seen == data["count"] > 0
    detail = data["results"][0]["url"]
    assert_drf_json(client.get(detail))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/",
        "/api/v1/activities/?fields=slug,participants,citations&lang=sq",
        "/api/v1/case-studies/?lang=sr",
        "/api/v1/partners/?brief=1&q=zene",
        "/api/v1/activities/?cursor=",
        "/api/v1/reconcile/",
    ],
)
def test_other_api_answers_are_drfs_json(client, url):
    assert_drf_json(client.get(url))


def test_floats_read_back_as_drfs(client):
    # orjson and Python each write a float's shortest round-trip digits, which are not always
    # the same digits: the network's centralities are the same numbers, not the same bytes.
    assert_drf_json(client.get("/api/v1/network/"), same_bytes=False)


def test_what_orjson_does_not_write_itself_is_written_as_drf_writes_it():
    utc = datetime.UTC
    data = {
        "lazy": lazy(str, str)("a lazy string, as gettext_lazy makes"),
        "decimal": decimal.Decimal("1.50"),
        "aware": datetime.datetime(2010, 6, 1, 12, 30, 5, 123456, tzinfo=utc),
        "naive": datetime.datetime(2010, 6, 1, 12, 30),
        "date": datetime.date(2010, 6, 1),
        "time": datetime.time(9, 5, 1, 250),
        "uuid": uuid.UUID(int=7),
        "tuple": (1, "two"),
        "separators": "a\u2028b\u2029c",
        "controls": 'tab\t nul\x00 quote" backslash\\ ë ж',
        "big": 2**70,
    }
    assert JSONRenderer().render(data) == DRF.render(data)


def test_indented_json_is_drfs_own():
    data = {"a": [1, {"b": None}]}
    assert JSONRenderer().render(data, "application/json; indent=4") == DRF.render(
        data, "application/json; indent=4"
    )
    assert JSONRenderer().render(None) == b""


def test_what_neither_can_encode_is_refused_alike():
    with pytest.raises(TypeError):
        DRF.render({"x": object()})
    with pytest.raises(TypeError):
        JSONRenderer().render({"x": object()})
