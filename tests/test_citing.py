"""Citing and describing records: "Cite this" and its CSL-JSON, BibTeX and RIS downloads, the
schema.org JSON-LD of every detail page, the record's downloads, and the excerpts' section
locators. Each format is read back by a library made for it (extruct and rdflib, jsonschema with
the CSL data schema and citeproc-py, bibtexparser, rispy)."""

import datetime
import json
import re
from pathlib import Path

import bibtexparser
import extruct
import jsonschema
import pytest
import rispy
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rdflib import RDF, Graph, Namespace, URIRef

from activities.models import Activity
from partners.choices import RelationType
from partners.models import Partner, PartnerRelation
from wps_portal import services
from wps_portal.choices import Status
from wps_portal.citing import CITE_FORMATS, portal_version
from wps_portal.excerpts import LOCATOR_SEPARATOR, locate, normalise
from wps_portal.licence import LICENCE
from wps_portal.models import Citation, SourceDocument
from wps_portal.views import CitableDetailView

pytestmark = pytest.mark.django_db

SDO = Namespace("https://schema.org/")
CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text(encoding="utf-8"))
# What each kind of page says it is (schema.org), by model name: the test's own expectation.
EXPECTED_TYPES = {
    "partner": {
        "NGO",
        "GovernmentOrganization",
        "NewsMediaOrganization",
        "ResearchOrganization",
        "Organization",
    },
    "activity": {"Event", "Action"},
    "programme": {"Project"},
    "casestudy": {"Report"},
    "approach": {"CreativeWork"},
    "country": {"Country"},
    "sourcedocument": {"Report"},
}


def detail_views():
    """Every detail page of the site, read from the URLconf: (view name, view class)."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "api" or pattern.app_name == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name == "detail":
                found.append((f"{namespace}:detail", getattr(pattern.callback, "view_class", None)))

    walk(get_resolver().url_patterns, None)
    return found


def sample(model):
    """A few public records of ``model`` with a page, those with citations first."""
    manager = model._default_manager
    queryset = manager.published() if hasattr(manager, "published") else manager.all()
    return list(queryset.order_by("pk")[:3])


def pages():
    for _name, view in detail_views():
        yield from sample(view.model)


def json_ld(html: str) -> list[dict]:
    return extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"]


def as_graph(item: dict) -> Graph:
    """The JSON-LD as RDF. schema.org's remote context is replaced by its vocabulary, so the test
    does not fetch it (every term here is a schema.org term)."""
    local = dict(item, **{"@context": {"@vocab": "https://schema.org/"}})
    return Graph().parse(data=json.dumps(local), format="json-ld")


def types_of(item) -> set[str]:
    value = item["@type"]
    return set(value if isinstance(value, list) else [value])


# -- every kind, derived -------------------------------------------------------------------------


def test_every_detail_page_of_the_site_is_citable():
    views = detail_views()
    assert len(views) >= 7  # partners, activities, programmes, case studies, approaches, countries, sources
    for name, view in views:
        assert view is not None and issubclass(view, CitableDetailView), name


def test_every_detail_page_carries_its_json_ld_readable_as_rdf(client):
    for record in pages():
        url = record.get_absolute_url()
        html = client.get(url).content.decode()
        items = json_ld(html)
        assert len(items) == 1, url
        item = items[0]
        assert item["@context"] == "https://schema.org"
        assert types_of(item) & EXPECTED_TYPES[record._meta.model_name], (url, item["@type"])
        assert item["@id"] == f"http://testserver{url}"
        assert item["name"]
        graph = as_graph(item)
        subject = URIRef(item["@id"])
        assert any(graph.triples((subject, RDF.type, None))), url
        assert any(graph.triples((subject, SDO.name, None))), url


def test_every_detail_page_offers_its_downloads_and_links_them_in_the_head(client):
    for record in pages():
        url = record.get_absolute_url()
        html = client.get(url).content.decode()
        head = html.split("</head>")[0]
        alternates = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', head)
        assert len(alternates) >= 4, url  # JSON, CSL-JSON, BibTeX, RIS
        for media_type, href in alternates:
            assert href in html.split("</head>")[1], (url, href)  # the same download on the page
            response = client.get(href.replace("&amp;", "&"))
            assert response.status_code == 200, href
            assert response["Content-Type"].split(";")[0] == media_type, href
        assert any(t == "application/json" for t, _href in alternates), url


def test_every_detail_page_cites_itself_in_the_three_formats(client):
    for record in pages():
        url = record.get_absolute_url()
        absolute = f"http://testserver{url}"
        bib = client.get(url, {"format": "bibtex"})
        assert bib["Content-Disposition"].startswith("attachment;")
        library = bibtexparser.parse_string(bib.content.decode())
        assert not library.failed_blocks, url
        first = library.entries[0]
        assert first.fields_dict["url"].value == absolute
        assert first.fields_dict["urldate"].value == datetime.date.today().isoformat()

        records = rispy.loads(client.get(url, {"format": "ris"}).content.decode())
        assert records[0]["urls"][0] == absolute
        assert records[0]["access_date"] == datetime.date.today().strftime("%Y/%m/%d")

        items = json.loads(client.get(url, {"format": "csl-json"}).content)
        jsonschema.validate(items, CSL_SCHEMA)
        assert items[0]["URL"] == absolute
        assert len(items) == len(library.entries) == len(records), url


def test_cite_this_names_author_title_portal_version_url_and_access_date(client):
    partner = Partner.objects.published().get(slug="kosovo-womens-network")
    html = client.get(partner.get_absolute_url()).content.decode()
    text = re.search(r'<p class="cite-text" id="cite-text"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert text.startswith("WPS Portal.")
    assert "Kosovo Women&#x27;s Network (KWN)" in text
    assert f"version {portal_version()}" in text and portal_version()
    assert f"http://testserver{partner.get_absolute_url()}" in text
    assert datetime.date.today().strftime("%-d %B %Y") in text
    # Every cite format is offered under it.
    for name in CITE_FORMATS:
        assert f"?format={name}" in html


# -- the formats, read back ---------------------------------------------------------------------


def test_a_record_cites_the_source_documents_its_excerpts_quote_with_their_sections(client):
    partner = Partner.objects.published().get(slug="kosovo-womens-network")
    citations = list(partner.citations.select_related("source"))
    items = json.loads(client.get(partner.get_absolute_url(), {"format": "csl-json"}).content)
    assert [i["id"] for i in items[1:]] == list(dict.fromkeys(c.source.key for c in citations))
    by_id = {item["id"]: item for item in items}
    for citation in citations:
        item = by_id[citation.source.key]
        assert item["type"] == "report" and item["title"] == citation.source.title
        assert item["author"] == [{"literal": citation.source.publisher}]
        if citation.locator:
            assert citation.locator in item["section"]


def test_csl_json_formats_through_a_csl_processor(client):
    from citeproc import Citation as CiteprocCitation
    from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    source = SourceDocument.objects.get(key="unwomen-networking-2011")
    items = json.loads(client.get(source.get_absolute_url(), {"format": "csl-json"}).content)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(CiteprocCitation([CitationItem(items[0]["id"])]))
    entry = str(bibliography.bibliography()[0])
    assert source.title in entry
    assert source.publisher in entry
    assert "2011" in entry


def test_bibtex_and_ris_of_a_source_name_its_publisher_date_and_address(client, settings):
    source = SourceDocument.objects.get(key="unwomen-bih-2012")
    library = bibtexparser.parse_string(
        client.get(source.get_absolute_url(), {"format": "bibtex"}).content.decode()
    )
    (entry,) = library.entries
    assert entry.key == source.key
    assert entry.fields_dict["author"].value == "{" + source.publisher + "}"
    assert entry.fields_dict["year"].value == "2012" and entry.fields_dict["month"].value == "10"
    assert entry.fields_dict["url"].value == source.url
    (record,) = rispy.loads(client.get(source.get_absolute_url(), {"format": "ris"}).content.decode())
    assert record["type_of_reference"] == "RPRT"
    assert record["title"] == source.title
    assert record["publisher"] == source.publisher
    assert record["date"] == "2012/10/24/"
    assert record["urls"] == [source.url, f"http://testserver{source.get_absolute_url()}"]


def test_bibtex_escapes_what_tex_would_read_as_commands(client):
    partner = Partner.objects.published().order_by("pk").first()
    with services.writing(services.Via.SHELL):
        partner.name = "Women & Peace 100% #1 {group}_x"
        services.save(partner)
    library = bibtexparser.parse_string(
        client.get(partner.get_absolute_url(), {"format": "bibtex"}).content.decode()
    )
    assert not library.failed_blocks
    assert library.entries[0].fields_dict["title"].value.startswith(r"Women \& Peace 100\% \#1 \{group\}\_x")


def test_an_unknown_cite_format_is_a_400_naming_the_parameter(client):
    partner = Partner.objects.published().order_by("pk").first()
    response = client.get(partner.get_absolute_url(), {"format": "endnote"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "format=endnote" in text
    for name in CITE_FORMATS:
        assert name in text


# -- JSON-LD: what each kind says -----------------------------------------------------------------


def test_partner_json_ld_names_its_aliases_country_and_networks(client):
    partner = Partner.objects.published().get(slug="kosovo-womens-network")
    (item,) = json_ld(client.get(partner.get_absolute_url()).content.decode())
    assert item["name"] == partner.name
    assert set(item["alternateName"]) == {partner.acronym, *partner.aliases.values_list("name", flat=True)}
    assert item["address"] == {"@type": "PostalAddress", "addressCountry": partner.country.code}
    networks = PartnerRelation.objects.filter(
        source=partner, type=RelationType.MEMBER_OF, target__status=Status.PUBLISHED
    )
    assert {n["@id"] for n in item.get("memberOf", [])} == {
        f"http://testserver{r.target.get_absolute_url()}" for r in networks
    }
    members = PartnerRelation.objects.filter(
        target=partner, type=RelationType.MEMBER_OF, source__status=Status.PUBLISHED
    )
    assert {n["@id"] for n in item.get("member", [])} == {
        f"http://testserver{r.source.get_absolute_url()}" for r in members
    }
    assert {s["name"] for s in item["subjectOf"]} == set(
        partner.citations.values_list("source__title", flat=True)
    )


def test_dated_activity_is_an_event_at_the_precision_of_its_dates_with_its_participants(client):
    for precision in ("year", "month", "day"):
        activity = (
            Activity.objects.published()
            .filter(start_precision=precision, participations__isnull=False)
            .order_by("pk")
            .first()
        )
        if activity is None:
            continue
        (item,) = json_ld(client.get(activity.get_absolute_url()).content.decode())
        assert item["@type"] == "Event"
        assert item["startDate"] == activity.start
        assert len(item["startDate"]) == {"year": 4, "month": 7, "day": 10}[precision]
        assert item["endDate"] == (activity.end or activity.start)
        named = {
            n["@id"]
            for prop in ("organizer", "attendee", "funder", "contributor")
            for n in item.get(prop, [])
        }
        expected = {
            f"http://testserver{p.partner.get_absolute_url()}"
            for p in activity.participations.filter(partner__status=Status.PUBLISHED)
        }
        assert named == expected
        codes = {c.code for c in activity.countries.all()}
        places = item.get("location", [])
        found = {p["identifier"] for p in places if p["@type"] == "Country"} | {
            c["identifier"] for p in places if p["@type"] == "Place" for c in p.get("containedInPlace", [])
        }
        assert found == codes


def test_source_and_case_study_are_reports_with_publisher_and_date(client):
    source = SourceDocument.objects.get(key="unwomen-networking-2011")
    (item,) = json_ld(client.get(source.get_absolute_url()).content.decode())
    assert item["@type"] == "Report"
    assert item["publisher"]["name"] == source.publisher
    assert item["datePublished"] == "2011-10"
    case_study = source.citations.filter(content_type__model="casestudy").first().record
    (item,) = json_ld(client.get(case_study.get_absolute_url()).content.decode())
    assert item["@type"] == "Report"
    assert item["author"]["name"] == source.publisher
    assert item["license"] == LICENCE["url"]


def test_home_page_describes_the_dataset_with_its_licence(client):
    (item,) = json_ld(client.get(reverse("home")).content.decode())
    assert item["@type"] == "Dataset"
    assert item["license"] == LICENCE["url"]
    assert item["version"] == portal_version()
    assert any(d["contentUrl"] == f"http://testserver{reverse('api:root')}" for d in item["distribution"])
    assert {s["name"] for s in item["isBasedOn"]} == set(
        SourceDocument.objects.values_list("title", flat=True)
    )
    graph = as_graph(item)
    assert (URIRef(item["@id"]), RDF.type, SDO.Dataset) in graph


def test_json_ld_cannot_end_its_script_element(client):
    partner = Partner.objects.published().order_by("pk").first()
    evil = 'Ends </script><script>alert("x")</script> & <!-- here'
    with services.writing(services.Via.SHELL):
        partner.description = evil
        services.save(partner)
    html = client.get(partner.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script
    assert json.loads(script)["description"] == evil
    assert json_ld(html)[0]["description"] == evil


def test_a_draft_is_never_referenced_by_a_published_records_json_ld(client):
    relation = (
        PartnerRelation.objects.filter(
            type=RelationType.MEMBER_OF, source__status=Status.PUBLISHED, target__status=Status.PUBLISHED
        )
        .order_by("pk")
        .first()
    )
    network, member = relation.target, relation.source
    with services.writing(services.Via.SHELL):
        member.status = Status.DRAFT
        services.save(member)
    html = client.get(network.get_absolute_url()).content.decode()
    assert member.get_absolute_url() not in json.dumps(json_ld(html))
    assert member.get_absolute_url() not in html


def test_a_drafts_preview_has_no_json_ld_and_no_citation(client, django_user_model):
    from django.contrib.auth.models import Group

    partner = Partner.objects.published().order_by("pk").first()
    with services.writing(services.Via.SHELL):
        partner.status = Status.DRAFT
        services.save(partner)
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(viewer)
    response = client.get(partner.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    # no data about it in the head (the page's other languages are still alternates)
    assert "application/ld+json" not in html and '<link rel="alternate" type=' not in html
    assert client.get(partner.get_absolute_url(), {"format": "bibtex"}).status_code == 404


# -- source documents' addresses and excerpts' sections -----------------------------------------------


def test_source_page_links_the_documents_public_address_where_known(client):
    known = SourceDocument.objects.get(key="unwomen-bih-2012")
    assert known.url.startswith("https://")
    assert f'href="{known.url}"' in client.get(known.get_absolute_url()).content.decode()
    unknown = SourceDocument.objects.filter(url="").order_by("pk").first()
    html = client.get(unknown.get_absolute_url()).content.decode()
    assert "No public address of the document is known" in html


def test_locator_is_the_heading_and_sub_heading_before_the_excerpt():
    document = "\n".join(
        [
            "A Report Title",
            "Some Author",
            "This is the first paragraph of the report, long enough to be read as a paragraph.",
            "Introduction\t3",
            "CASE STUDY 1: The First Case\t4",
            "Introduction",
            "It starts here.",
            "CASE STUDY 1: The First Case",
            "Background",
            "The women met in 2005 and agreed; they met again.",
            "A Report Title",  # a running header, not a heading
            "Results",
            "• A bullet, not a heading",
            "They founded a lobby.",
            "1. A numbered sub-section",
            "It had three parts.",
        ]
    )
    assert locate("It starts here.", document) == "Introduction"
    assert (
        locate("met in 2005 and agreed", document)
        == f"CASE STUDY 1: The First Case{LOCATOR_SEPARATOR}Background"
    )
    assert (
        locate("They founded a lobby.", document) == f"CASE STUDY 1: The First Case{LOCATOR_SEPARATOR}Results"
    )
    assert (
        locate("three parts", document)
        == f"CASE STUDY 1: The First Case{LOCATOR_SEPARATOR}1. A numbered sub-section"
    )
    assert locate("first paragraph", document) == "A Report Title"
    assert locate("not in the document", document) == ""


def test_locators_agree_with_the_sections_curators_wrote(sources_dir):
    """The fixtures' hand-written ``section`` of each citation is an independent oracle: the main
    heading it names is in the locator found from the text, for nearly every citation."""
    agree = total = 0
    disagreements = []
    for citation in Citation.objects.exclude(section="").select_related("source"):
        text = (sources_dir / citation.source.filename).read_text(encoding="utf-8")
        found = locate(citation.excerpt, text)
        main = normalise(citation.section.split(" – ")[0]).rstrip(":").casefold()
        total += 1
        if main in normalise(found).casefold():
            agree += 1
        else:
            disagreements.append((citation.section, found))
    assert total > 100
    assert agree / total >= 0.95, disagreements[:10]


def test_verified_excerpt_is_stored_with_its_locator_and_shown_beside_it(client, sources_dir, settings):
    settings.SOURCES_DIR = sources_dir
    citation = Citation.objects.filter(content_type__model="casestudy").exclude(locator="").first()
    assert citation.verified_at is not None
    text = (sources_dir / citation.source.filename).read_text(encoding="utf-8")
    assert citation.locator == locate(citation.excerpt, text)
    html = client.get(citation.record.get_absolute_url()).content.decode()
    assert citation.locator.replace("'", "&#x27;") in html


def test_verify_citations_mark_stores_locators_that_changed(sources_dir, capsys):
    citation = Citation.objects.exclude(locator="").order_by("pk").first()
    right = citation.locator
    Citation.objects.filter(pk=citation.pk).update(locator="Somewhere else")
    call_command("verify_citations", sources=str(sources_dir))
    assert "run with --mark" in capsys.readouterr().out
    assert Citation.objects.get(pk=citation.pk).locator == "Somewhere else"
    call_command("verify_citations", sources=str(sources_dir), mark=True)
    assert Citation.objects.get(pk=citation.pk).locator == right


@pytest.mark.parametrize("model", ["activity", "programme"])
def test_activity_and_programme_pages_offer_their_iati_xml(client, model):
    from activities.models import Activity, Programme

    record = {"activity": Activity, "programme": Programme}[model].objects.published().first()
    page = client.get(record.get_absolute_url()).content.decode()
    iati_url = "http://testserver" + reverse(f"api:{model}-iati", kwargs={"slug": record.slug})
    assert f'<link rel="alternate" type="application/xml" href="{iati_url}"' in page
    assert f'href="{iati_url}"' in page.split("</head>")[1]  # and among the page's downloads
    response = client.get(iati_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
