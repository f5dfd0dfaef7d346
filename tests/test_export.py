"""CSV exports: complete, identical whichever way they are built, and never cut off silently."""

import csv
import io

import pytest

from activities.api.serializers import ActivitySerializer
from activities.models import Activity
from wps_portal import synthetic

pytestmark = pytest.mark.django_db

API = "/api/v1/activities/"


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize(
    "query",
    ["", "country=XK&sort=-start", "fields=slug,participants,outputs,citations,url", "omit=summary&q=police"],
)
def test_the_fast_csv_is_the_serializers_csv(client, monkeypatch, query):
    fast = body(client.get(f"{API}?format=csv&{query}"))
    monkeypatch.delattr(ActivitySerializer, "csv_rows")
    assert fast == body(client.get(f"{API}?format=csv&{query}"))
    assert fast.count("\n") > 2


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=2&page_size=7",
        "country=XK&sort=-start",
        "fields=slug,participants,citations",
        "brief=1",
        "q=police",
    ],
)
def test_the_fast_json_page_is_the_serializers_page(client, monkeypatch, query):
    fast = client.get(f"{API}?{query}").json()
    monkeypatch.delattr(ActivitySerializer, "fast_rows")
    assert fast == client.get(f"{API}?{query}").json()
    assert fast["results"]


def test_a_10000_row_export_is_complete(client):
    synthetic.seed(partners=100, activities=10400, seed=11)  # about 3% are drafts
    published = Activity.objects.published()
    rows = list(csv.DictReader(io.StringIO(body(client.get(f"{API}?format=csv")))))
    assert len(rows) == published.count() >= 10000
    assert [row["slug"] for row in rows] == list(
        published.order_by("start_date", "title", "pk").values_list("slug", flat=True)
    )
    assert all(row["url"].endswith(f"/{row['slug']}/") for row in rows)


def test_an_export_that_fails_midway_is_an_error_not_a_shorter_file(client, monkeypatch):
    from wps_portal.api import export

    real = export.chunks

    def failing(queryset, size=export.CHUNK_SIZE):
        iterator = real(queryset, 5)
        yield next(iterator)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(export, "chunks", failing)
    response = client.get(f"{API}?format=csv")
    assert response.status_code == 200  # the headers went out before the failure…
    content = iter(response.streaming_content)
    next(content)  # …the first rows too…
    with pytest.raises(RuntimeError):  # …and then the server sees the error (and drops the connection)
        b"".join(content)


def test_spreadsheet_formulas_are_neutralised_but_numbers_are_not():
    from wps_portal.spreadsheet import neutralise

    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("+1 dial") == "'+1 dial"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-") == "'-"
    assert neutralise("Žene Ženama") == "Žene Ženama"
    assert neutralise(-3) == -3
    assert neutralise(None) is None
