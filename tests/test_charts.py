"""The charts (home and country pages) and the map: their figures on a small fixture with drafts
(drafts never counted), on the corpus (every figure is what the list it links to holds), and the
pages' tables without JavaScript."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from activities.models import Activity, Participation
from casestudies.models import CaseStudy, CaseStudyPartner
from networks.charts import (
    activities_per_year,
    atlas_key,
    country_counts,
    participations_by_role,
    partners_by_kind,
    places,
)
from partners.choices import PartnerKind, Role
from partners.models import Country, Partner
from wps_portal import services
from wps_portal.choices import Status
from wps_portal.services import Via

pytestmark = pytest.mark.django_db

P, D = Status.PUBLISHED, Status.DRAFT


@pytest.fixture
def testland():
    """A country of its own (so its charts hold only these records), with drafts everywhere."""
    zz = Country.objects.create(code="ZZ", name="Testland", region="Test region")
    xk = Country.objects.get(code="XK")

    def partner(key, kind, status=P):
        return Partner.objects.create(
            name=f"Z {key}", slug=f"z-{key}", kind=kind, scope="national", country=zz, status=status
        )

    a, b = partner("a", PartnerKind.NGO), partner("b", PartnerKind.GOVERNMENT)
    c = partner("c", PartnerKind.NGO, status=D)

    def activity(key, start, end=None, status=P, countries=(zz,), location="", roles=()):
        act = Activity.objects.create(
            title=f"Z activity {key}", slug=f"z-act-{key}", type="workshop", status=status,
            start_date=start, end_date=end, start_precision="year", end_precision="year",
            location=location,
        )  # fmt: skip
        act.countries.set(countries)
        for p, role in roles:
            Participation.objects.create(activity=act, partner=p, role=role)
        return act

    activity("1", datetime.date(2001, 1, 1), roles=[(a, Role.IMPLEMENTING), (b, Role.PARTICIPANT)])
    activity(
        "2", datetime.date(2003, 6, 1), datetime.date(2004, 3, 1), countries=(zz, xk),
        roles=[(a, Role.PARTNER), (c, Role.FUNDING)], location="Zedville",
    )  # fmt: skip
    activity("3", datetime.date(2002, 1, 1), status=D, roles=[(a, Role.FUNDING)], location="Draftburg")
    activity("4", None, location="zedville ")
    activity("5", datetime.date(1990, 1, 1), status=D)
    case = CaseStudy.objects.create(
        number=990, title="Z case", slug="z-case", section="networking", status=P, country=zz
    )
    CaseStudyPartner.objects.create(case_study=case, partner=b, role=Role.PARTNER)
    draft_case = CaseStudy.objects.create(
        number=991, title="Z draft case", slug="z-draft-case", section="networking", status=D, country=zz
    )
    CaseStudyPartner.objects.create(case_study=draft_case, partner=a, role=Role.FUNDING)
    return zz


def table(chart):
    return {row.label: ([cell.value for cell in row.cells], row.total) for row in chart.rows}


def test_activities_per_year_of_a_country_count_each_year_an_activity_spans_and_no_draft(testland):
    chart = activities_per_year(testland)
    # 2001; 2003 to 2004 (both years); 2002 only a draft: a year of nothing, kept for the axis.
    assert table(chart) == {"2001": ([1], 1), "2002": ([0], 0), "2003": ([1], 1), "2004": ([1], 1)}
    assert chart.series == ["Testland"]
    assert chart.extra["undated"] == 1
    assert "1 activity has no date" in chart.note


def test_partners_by_kind_of_a_country_leave_the_draft_out(testland):
    chart = partners_by_kind(testland)
    assert table(chart) == {"NGO": ([1], 1), "Government body": ([1], 1)}
    assert chart.rows[0].url == "/partners/?kind=ngo&country=ZZ"


def test_participations_by_role_count_published_pairs_only(testland):
    chart = participations_by_role(testland)
    # Funding: a draft partner in a published activity, a partner in a draft activity, and a
    # partner in a draft case study — none counts, so the role has no row.
    assert table(chart) == {
        "Implementing": ([1, 0], 1),
        "Partner": ([1, 1], 2),
        "Participant": ([1, 0], 1),
    }
    partner_row = next(row for row in chart.rows if row.label == "Partner")
    assert [cell.url for cell in partner_row.cells] == [
        "/activities/?role=partner&country=ZZ",
        "/case-studies/?role=partner&country=ZZ",
    ]


def test_the_whole_portals_years_start_with_a_published_activity(testland):
    years = [row.label for row in activities_per_year().rows]
    assert "1990" not in years  # the only activity of 1990 is a draft
    first = Activity.objects.published().exclude(start_date=None).order_by("start_date").first()
    assert years[0] == str(first.start_date.year)


def test_map_counts_a_countrys_published_records_only(testland):
    row = next(c for c in country_counts() if c["code"] == "ZZ")
    assert (row["activities"], row["partners"], row["case_studies"]) == (3, 2, 1)
    assert row["links"]["partners"] == "/partners/?country=ZZ"


def test_places_group_names_ignoring_case_and_leave_drafts_out(testland):
    found = {p["name"].casefold(): p for p in places()}
    assert "draftburg" not in found
    zed = found["zedville"]
    assert [title for title, _url in zed["activities"]] == ["Z activity 2", "Z activity 4"]
    assert zed["countries"] == ["Kosovo*", "Testland"]


def test_kosovo_and_the_other_countries_are_found_in_the_atlas():
    assert atlas_key("XK") == "name:Kosovo"
    assert atlas_key("RS") == "688"
    assert atlas_key("BA") == "070"
    for code in Country.objects.values_list("code", flat=True):
        assert atlas_key(code), code


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.context["messages_ignored"], url
    return response.context["count"]


def test_every_figure_of_the_home_charts_is_the_count_of_the_list_it_opens(client):
    years, kinds = activities_per_year(), partners_by_kind()
    for chart in (years, kinds):
        for row in chart.rows:
            for cell in row.cells:
                if cell.url:
                    assert list_count(client, cell.url) == cell.value, cell.url
            assert list_count(client, row.url) == row.total, row.url
    assert sum(row.total for row in kinds.rows) == Partner.objects.published().count()


def test_participations_by_role_match_an_independent_count(client):
    chart = participations_by_role()
    published = Partner.objects.published()
    for row in chart.rows:
        role = next(value for value, label in Role.choices if label == row.label)
        in_activities = Participation.objects.filter(
            role=role, partner__in=published, activity__in=Activity.objects.published()
        )
        in_case_studies = CaseStudyPartner.objects.filter(
            role=role, partner__in=published, case_study__in=CaseStudy.objects.published()
        )
        assert [cell.value for cell in row.cells] == [in_activities.count(), in_case_studies.count()]
        activities_url, case_studies_url = (cell.url for cell in row.cells)
        if activities_url:
            assert list_count(client, activities_url) == in_activities.values("activity").distinct().count()
        if case_studies_url:
            assert (
                list_count(client, case_studies_url)
                == in_case_studies.values("case_study").distinct().count()
            )


def test_map_counts_on_the_corpus_are_the_lists_counts(client):
    rows = country_counts()
    assert "XK" in [row["code"] for row in rows]
    for row in rows[:4]:
        for measure, url in row["links"].items():
            assert list_count(client, url) == row[measure], url


def test_home_and_country_pages_print_the_charts_tables_without_javascript(client):
    home = client.get("/").content.decode()
    for key in ("activities-per-year", "partners-by-kind", "participations-by-role"):
        assert f'id="chart-{key}-h"' in home
        assert f'id="chart-{key}-data"' in home
    assert 'id="home-map-data"' in home and 'id="map-table"' in home
    kosovo = client.get("/countries/XK/").content.decode()
    assert 'href="/activities/?country=XK&amp;year_from=2010&amp;year_to=2010"' in kosovo


def test_map_page_lists_every_country_and_links_its_lists(client, testland):
    response = client.get("/map/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="/countries/ZZ/">Testland</a>' in page
    assert 'href="/activities/?country=ZZ">3</a>' in page
    assert "Zedville" in page and "Draftburg" not in page and "Z draft case" not in page


def test_map_page_names_a_bad_measure_and_an_unknown_parameter(client):
    response = client.get("/map/?measure=people&zoom=3")
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages_ignored"]]
    assert any("measure=people" in m for m in messages)
    assert any("zoom" in m for m in messages)
    assert response.context["measure"] == "activities"


def test_a_write_makes_the_cached_charts_stale(testland, django_capture_on_commit_callbacks):
    assert table(partners_by_kind(testland))["NGO"] == ([1], 1)  # now cached

    partner = Partner.objects.get(slug="z-c")
    partner.status = P
    with django_capture_on_commit_callbacks(execute=True), services.writing(Via.SHELL, reason="test"):
        services.save(partner)
    assert table(partners_by_kind(testland))["NGO"] == ([2], 2)


def test_chart_links_are_site_paths_with_valid_parameters():
    for chart in (activities_per_year(), partners_by_kind(), participations_by_role()):
        for row in chart.rows:
            for url in [row.url, *(cell.url for cell in row.cells)]:
                if url:
                    parts = urlsplit(url)
                    assert parts.path.startswith("/") and not parts.netloc
                    assert all(QueryDict(parts.query).values())
