"""What a data user writes with a client generated from the portal's OpenAPI schema.

Run by scripts/generated-client-check, which generates ``wps_portal_client`` with
openapi-python-client, checks this file with ``mypy --strict`` (no cast, no ``type: ignore``),
then runs it against a live server: ``python tests/client/typed_script.py http://127.0.0.1:PORT``.
Every read is anonymous (a plain ``Client``: no token), response fields are used without checks
for their presence, sort orders are named members, and the CSV export comes back as text.
"""

from __future__ import annotations

import csv
import io
import json
import sys

from wps_portal_client import Client
from wps_portal_client.api.activities import activities_list, activities_list_csv, activities_retrieve
from wps_portal_client.api.partners import partners_list
from wps_portal_client.models import (
    ActivitiesListCsvFieldsItem,
    ActivitiesListSortItem,
    Activity,
    PaginatedActivityList,
    PaginatedPartnerList,
)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAIL: {what}")
    print(f"ok: {what}")


def main(base_url: str) -> None:
    client = Client(base_url=base_url, raise_on_unexpected_status=True)

    partners = partners_list.sync(client=client, country=["BA"], page_size=5)
    check(isinstance(partners, PaginatedPartnerList), "an anonymous client lists partners")
    assert isinstance(partners, PaginatedPartnerList)
    check(partners.count > 0 and len(partners.results) <= 5, "count and page size are honoured")
    first = partners.results[0]
    # Required fields: plain attributes, never Unset.
    country = first.country
    check(country is not None and country.code == "BA", f"{first.slug} is in BA ({first.name})")
    check(first.html_url is not None and first.url.startswith(base_url), "records carry their URLs")

    newest = activities_list.sync(
        client=client,
        sort=[ActivitiesListSortItem.START_DESC, ActivitiesListSortItem.TITLE],
        page_size=10,
    )
    assert isinstance(newest, PaginatedActivityList)
    starts = [activity.start or "" for activity in newest.results]
    check(starts == sorted(starts, reverse=True), "START_DESC sorts the newest first")
    ties = [a.title for a in newest.results if a.start == newest.results[0].start]
    check(ties == sorted(ties), "a second sort key (TITLE) orders the ties")

    activity = activities_retrieve.sync(slug=newest.results[0].slug, client=client)
    assert isinstance(activity, Activity)
    roles = sorted({participant.role.value for participant in activity.participants})
    notes = [participant.note for participant in activity.participants]
    check(
        activity.slug == newest.results[0].slug,
        f"one activity: {activity.title} ({roles}, {len(notes)} notes)",
    )
    excerpts = [citation.excerpt for citation in activity.citations]
    check(all(excerpts) and all(c.source.key for c in activity.citations), "citations name their sources")

    text = activities_list_csv.sync(
        client=client,
        fields=[
            ActivitiesListCsvFieldsItem.SLUG,
            ActivitiesListCsvFieldsItem.PARTICIPANTS,
            ActivitiesListCsvFieldsItem.URL,
        ],
    )
    check(isinstance(text, str), "the CSV export is text, not parsed as JSON")
    assert isinstance(text, str)
    rows = list(csv.DictReader(io.StringIO(text)))
    everything = activities_list.sync(client=client, page_size=1)
    assert isinstance(everything, PaginatedActivityList)
    check(len(rows) == everything.count, f"the CSV has every activity ({len(rows)})")
    participants = json.loads(rows[0]["participants"])
    check(isinstance(participants, list), "participants are a JSON array in the CSV")

    too_big = activities_list.sync_detailed(client=client, page_size=501)
    check(too_big.status_code == 400 and b"page_size" in too_big.content, "page_size=501 is a 400 naming it")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
