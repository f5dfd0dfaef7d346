"""The list CSVs lose nothing: read back with Python's csv module and pandas (as data users do),
each row gives the API's JSON row again, links work, years stay integers, and no cell is a
formula."""

import csv
import io
import json
import re

import pandas as pd
import pytest
from rest_framework.test import APIClient

from activities.models import Participation
from partners.models import Partner
from wps_portal import services
from wps_portal.api.export import BOM, ESCAPE, SEPARATOR, join, split
from wps_portal.services import Via

pytestmark = pytest.mark.django_db

LISTS = ["partners", "countries", "programmes", "phases", "activities", "case-studies", "lessons",
         "approaches", "issue-boxes", "sources"]  # fmt: skip


def csv_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8")


def json_rows(client, resource):
    rows, url = [], f"/api/v1/{resource}/?page_size=500"
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def brief_key(value):
    """The natural key of a related record shown in brief (it has a key and its url), else None."""
    if isinstance(value, dict) and "url" in value:
        return next((value[key] for key in ("slug", "code", "key") if key in value), None)
    return None


def by_key(value):
    """A related record as the CSV writes it: its natural key."""
    if isinstance(value, dict):
        if brief_key(value) is not None:
            return brief_key(value)
        return {name: by_key(item) for name, item in value.items()}
    if isinstance(value, list):
        return [by_key(item) for item in value]
    return value


def decoded(name, cell, json_value):
    """The CSV cell read back into the JSON's value (with related records by key)."""
    if isinstance(json_value, list):
        if all(brief_key(item) is not None for item in json_value) and not cell.startswith("["):
            return split(cell)  # related records: their keys
        return json.loads(cell)  # the record's own rows (participants, outputs…): a JSON array
    if isinstance(json_value, dict) and brief_key(json_value) is None:
        return json.loads(cell)  # a mapping of the record's own (translations): a JSON object
    if isinstance(json_value, bool):
        return {"true": True, "false": False}[cell]
    if isinstance(json_value, int):
        return int(cell)
    if json_value is None:
        assert cell == ""
        return None
    return cell


@pytest.mark.parametrize("resource", LISTS)
def test_every_field_of_every_row_comes_back_from_the_csv(resource):
    client = APIClient()
    expected = json_rows(client, resource)
    rows = list(csv.DictReader(io.StringIO(csv_text(client, f"/api/v1/{resource}.csv"))))
    assert len(rows) == len(expected) > 0
    assert list(rows[0]) == list(expected[0])  # one column per field, the JSON's names and order
    for row, record in zip(rows, expected, strict=True):
        for name, value in record.items():
            assert decoded(name, row[name], value) == by_key(value), (resource, record.get("url"), name)


def test_every_participant_note_is_in_the_activities_csv():
    notes = set(
        Participation.objects.filter(activity__status="published", partner__status="published")
        .exclude(note="")
        .values_list("activity__slug", "partner__slug", "role", "note")
    )
    assert len(notes) > 100
    rows = csv.DictReader(io.StringIO(csv_text(APIClient(), "/api/v1/activities.csv")))
    written = {
        (row["slug"], item["partner"], item["role"], item["note"])
        for row in rows
        for item in json.loads(row["participants"])
        if item["note"]
    }
    assert written == notes


def test_url_cells_are_working_links_to_the_api_record_and_its_page():
    client = APIClient()
    for resource in ("activities", "partners", "case-studies", "sources"):
        rows = list(csv.DictReader(io.StringIO(csv_text(client, f"/api/v1/{resource}/?format=csv"))))
        for row in rows[:3]:
            assert "format=" not in row["url"] and "format=" not in row["html_url"]
            api = client.get(row["url"])
            assert api.status_code == 200 and api["Content-Type"] == "application/json"
            assert client.get(row["html_url"]).status_code == 200


def test_the_export_path_and_format_parameter_give_the_same_file():
    client = APIClient()
    query = "country=XK&sort=-start&fields=slug,start,participants,url"
    assert csv_text(client, f"/api/v1/activities.csv?{query}") == csv_text(
        client, f"/api/v1/activities/?format=csv&{query}"
    )


def test_pandas_reads_years_as_integers_and_lists_as_documented():
    text = csv_text(APIClient(), "/api/v1/programmes.csv")
    assert not re.search(r"(^|,)\d{4}\.0(,|$)", text, re.M)  # never a year written as a float
    frame = pd.read_csv(io.StringIO(text), dtype_backend="numpy_nullable")
    assert str(frame["start_year"].dtype) == "Int64"
    assert str(frame["end_year"].dtype) == "Int64"
    programmes = APIClient().get("/api/v1/programmes/?page_size=500").json()["results"]
    assert frame["start_year"].tolist() == [p["start_year"] if p["start_year"] is not None else pd.NA
                                            for p in programmes]  # fmt: skip
    countries = frame["countries"].fillna("").map(split)
    assert countries.tolist() == [[c["code"] for c in p["countries"]] for p in programmes]
    assert all(isinstance(json.loads(cell), list) for cell in frame["citations"])


def test_bom_is_added_only_when_asked_for_and_pandas_still_reads_the_header():
    client = APIClient()
    plain = csv_text(client, "/api/v1/partners.csv")
    with_bom = csv_text(client, "/api/v1/partners.csv?bom=1")
    assert not plain.startswith(BOM)
    assert with_bom == BOM + plain
    raw = with_bom.encode("utf-8")
    assert list(pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig").columns)[0] == "slug"
    assert "Žene Ženama" in raw.decode("utf-8-sig")


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_bom_value_is_a_400_naming_it(value):
    response = APIClient().get(f"/api/v1/partners.csv?bom={value}")
    assert response.status_code == 400
    assert "bom" in response.json()


def test_the_separator_is_escaped_so_any_item_splits_back():
    items = ["a|b", "back\\slash", "", "plain", "end\\", "|"]
    assert split(join(items)) == items
    assert join(["XK", "BA"]) == f"XK{SEPARATOR}BA"
    assert ESCAPE + SEPARATOR in join(["a|b"])
    assert split("") == []


def test_no_cell_can_run_as_a_formula():
    partner = Partner.objects.published().order_by("pk").first()
    with services.writing(Via.SHELL, reason="test"):
        partner.description = '=HYPERLINK("http://evil.example","x")'
        partner.acronym = "@SUM"
        services.save(partner, validate=False)
    rows = csv.DictReader(
        io.StringIO(csv_text(APIClient(), "/api/v1/partners.csv?fields=slug,acronym,description"))
    )
    row = next(r for r in rows if r["slug"] == partner.slug)
    assert row["description"] == "'" + partner.description
    assert row["acronym"] == "'@SUM"


def test_the_list_pages_link_a_csv_for_excel_with_the_same_rows(client):
    page = client.get("/partners/?country=BA").content.decode()
    plain = re.search(r'class="button download" href="([^"]+)"', page)[1].replace("&amp;", "&")
    excel = re.search(r'class="download-excel" href="([^"]+)"', page)[1].replace("&amp;", "&")
    api = APIClient()
    assert csv_text(api, excel) == BOM + csv_text(api, plain)
