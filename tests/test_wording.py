"""The words of the public pages: no English plural built by hand ("approachs", "1 partners",
"parameter(s)"), counts that say what they count and agree with the data, a name shown once when
its acronym is the same, every asterisk with its footnote, and notices that point to pages to
browse rather than to API addresses."""

import re
from html import unescape

import pytest
from django.db.models import F
from django.urls import reverse

from activities.models import Activity, Programme
from casestudies.choices import APPROACH_KIND_PLURALS, ApproachKind
from casestudies.models import Approach, CaseStudy
from partners.models import Country, Partner
from wps_portal.models import SourceDocument

pytestmark = pytest.mark.django_db

# A regular English plural glued to a word whose plural is not "+s" (what `|pluralize` or a
# hand-written "s" makes of "approach", "strategy", "activity", "box", "study"…).
HAND_BUILT_PLURAL = re.compile(r"\b\w*(?:[bcdfghjklmnpqrstvwxz]ys|(?:ch|sh|x|ss)s)\b", re.IGNORECASE)
PROPER_NAMES = {"czechs"}  # real words of the pattern
# "1" before a plural noun: a count that chose its noun by hand, or not at all.
ONE_AND_A_PLURAL = re.compile(
    r"(?<![\d.,–-])\b1 (partners|activities|records|citations|lessons|case studies|sources|links|phases"
    r"|countries|approaches|programmes|results|documents|members|units|excerpts|pages)\b"
)
OPTIONAL_S = re.compile(r"\w\(s\)")  # "parameter(s)"
# A whole name (not the end of a longer one, "Kosovo Lawyers' Association NORMA (NORMA)") and then
# itself in brackets.
SAME_NAME_TWICE = re.compile(r"(?<![\w’'-] )(?<![\w’'-])([\w’'][\w’' -]{1,80}?) \(\1\)")
KNOWN_TYPOS = ("approachs", "strategys", "activitys", "countrys", "studys", "boxs")
# Every list page (the browser tests hold them to the phone's first screen).
LIST_PAGES = [
    "/partners/",
    "/partners/?country=XK&kind=network",
    "/activities/",
    "/case-studies/",
    "/lessons/",
    "/approaches/",
    "/programmes/",
    "/countries/",
    "/sources/",
    "/search/?q=women",
]


def text_of(html: str) -> str:
    """The page's visible words: no tags, scripts, styles or comments; entities decoded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def pages():
    """Every kind of public page, with filters that give counts of one where the data has them."""
    partner = Partner.objects.published().filter(acronym="KWN").first() or Partner.objects.published().first()
    single_country = (
        Country.objects.filter(partners__status="published").order_by("name").distinct().last().code
    )
    paths = [
        "/",
        *LIST_PAGES,
        f"/partners/?country={single_country}",
        "/partners/?country=ZZZ&programme=nope&page=999",
        "/network/",
        "/timeline/",
        "/partners/no-such-partner/",
        partner.get_absolute_url(),
        Activity.objects.published().filter(participations__isnull=False).first().get_absolute_url(),
        CaseStudy.objects.published().first().get_absolute_url(),
        Programme.objects.published().first().get_absolute_url(),
        *(c.get_absolute_url() for c in Country.objects.all()),
        *(a.get_absolute_url() for a in Approach.objects.published()),
        *(s.get_absolute_url() for s in SourceDocument.objects.all()),
    ]
    # Partners whose acronym is their name ("UN Women").
    paths += [p.get_absolute_url() for p in Partner.objects.published().filter(acronym=F("name"))[:3]]
    return paths


_RENDERED = {}  # the pages, rendered once for the tests below (the corpus does not change)


@pytest.fixture
def rendered(client):
    if not _RENDERED:
        _RENDERED.update({path: client.get(path) for path in pages()})
    return _RENDERED


def test_no_page_builds_an_english_plural_by_hand(rendered):
    failures = {}
    for path, response in rendered.items():
        words = text_of(response.content.decode())
        found = {m.group(0) for m in HAND_BUILT_PLURAL.finditer(words)} - PROPER_NAMES
        found |= {m.group(0) for m in ONE_AND_A_PLURAL.finditer(words)}
        found |= {m.group(0) for m in OPTIONAL_S.finditer(words)}
        found |= {typo for typo in KNOWN_TYPOS if typo in words.lower()}
        if found:
            failures[path] = sorted(found)
    assert not failures, failures


def test_the_check_sees_the_plurals_it_forbids():
    words = "Networking approachs · Partner-identification strategys · 1 partners · parameter(s)"
    assert {m.group(0) for m in HAND_BUILT_PLURAL.finditer(words)} == {"approachs", "strategys"}
    assert ONE_AND_A_PLURAL.search(words) and OPTIONAL_S.search(words)
    assert not HAND_BUILT_PLURAL.search("Networking approaches, strategies, activities, 11 partners")
    assert SAME_NAME_TWICE.search("Partners: UN Women (UN Women) · Kosovo")
    assert not SAME_NAME_TWICE.search("UN Women (UNW)")
    assert not SAME_NAME_TWICE.search("Kosovo Lawyers' Association NORMA (NORMA)")


def test_a_name_is_never_followed_by_itself_as_its_acronym(rendered):
    failures = {
        path: SAME_NAME_TWICE.search(text_of(r.content.decode())).group(0)
        for path, r in rendered.items()
        if SAME_NAME_TWICE.search(text_of(r.content.decode()))
    }
    assert not failures, failures


def test_every_kind_of_approach_has_a_plural_heading_and_the_home_page_uses_it(client):
    assert set(APPROACH_KIND_PLURALS) == set(ApproachKind.values)
    text = client.get("/").content.decode()
    for kind in Approach.objects.published().values_list("kind", flat=True).distinct():
        assert f"<h3>{APPROACH_KIND_PLURALS[kind]}</h3>" in text


def test_the_home_page_counts_the_documents_the_sources_page_lists(client):
    documents = SourceDocument.objects.count()
    listed = client.get(reverse("sources:list")).content.decode().count('<article class="card">')
    assert listed == documents
    words = text_of(client.get("/").content.decode())
    assert f"turns {documents} public documents into" in words
    assert not re.search(r"\b(one|two|three|four|five|six|seven) public documents\b", words)


def test_a_source_page_counts_the_records_citing_it_apart_from_its_citations(client):
    source = max(SourceDocument.objects.all(), key=lambda s: s.citations.count())
    words = text_of(client.get(source.get_absolute_url()).content.decode())
    public = source.citations.with_records()
    records = {(c.content_type_id, c.object_id) for c in public}
    assert len(records) < len(public)  # the corpus has records quoting one document twice
    assert f"Cited by {len(records)} records" in words
    assert f"Citations of this document {len(public)}" in words
    assert "Records citing this document" not in words


def test_every_asterisk_after_a_country_has_its_footnote_on_the_page(rendered):
    countries = list(Country.objects.all())
    assert any(c.note for c in countries)  # Kosovo's, from the sources
    failures = {}
    for path, response in rendered.items():
        words = text_of(response.content.decode())
        for country in countries:
            if f"{country.name}*" in words and not (
                country.note and f"* {country.name}: {country.note}" in words
            ):
                failures.setdefault(path, []).append(country.name)
    assert not failures, failures


def test_the_notice_about_an_unknown_value_links_a_page_to_browse_not_an_api_address(client):
    text = client.get(reverse("partners:list"), {"country": "ZZZ", "programme": "nope"}).content.decode()
    notice = text[text.index('class="notice"') : text.index("</div>", text.index('class="notice"'))]
    assert "/api/" not in notice
    assert f'href="{reverse("countries:list")}"' in notice
    assert f'href="{reverse("programmes:list")}"' in notice
    # The API's 400 still names its own listing.
    body = client.get("/api/v1/partners/", {"country": "ZZZ"}).json()
    assert "/api/v1/countries/" in str(body)


def test_the_not_found_page_lists_the_lists_as_separate_links(client):
    text = client.get("/partners/no-such-partner/").content.decode()
    links = re.search(r'<ul class="entry-links">(.*?)</ul>', text, re.S).group(1)
    assert links.count("<li>") == links.count("<a ") >= 8
