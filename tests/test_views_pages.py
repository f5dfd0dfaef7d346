"""The public HTML site: every page renders, within a constant SQL query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from activities.models import Activity, Participation, Programme
from casestudies.models import Approach, CaseStudy, Lesson
from partners.models import Country, Partner, PartnerRelation
from wps_portal.models import Citation, SourceDocument
from wps_portal.search import refresh_search_text

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "partners:list",
    "activities:list",
    "casestudies:list",
    "lessons:list",
    "approaches:list",
    "programmes:list",
    "countries:list",
    "sources:list",
]

# Queries per page, whatever the number of rows: the lists run one query per facet, a count and the
# page itself (plus a few prefetches); details run one query per related list.
LIST_BUDGET = 14
# On PostgreSQL a facet's time limit adds four statements on a cold cache (savepoint, SET LOCAL
# statement_timeout, its reset, release); tests/query_counts.json has the exact counts.
FACET_LIMIT_QUERIES = 4
DETAIL_BUDGET = 16


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


def first_published(model):
    return model.objects.published().order_by("pk").first()


def detail_urls():
    urls = [
        first_published(Partner).get_absolute_url(),
        first_published(Activity).get_absolute_url(),
        first_published(CaseStudy).get_absolute_url(),
        first_published(Approach).get_absolute_url(),
        first_published(Programme).get_absolute_url(),
        Country.objects.order_by("pk").first().get_absolute_url(),
        SourceDocument.objects.order_by("pk").first().get_absolute_url(),
    ]
    return urls


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_page_renders_within_query_budget(client, name, django_assert_max_num_queries):
    budget = LIST_BUDGET
    if connection.vendor == "postgresql":
        budget += FACET_LIMIT_QUERIES * len(resolve(reverse(name)).func.view_class.filterset_class.facets)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'class="result-count"' in response.content


def test_home_page_says_what_the_portal_holds_within_budget(client, django_assert_max_num_queries):
    # 12; 10 for the charts and the map when the count cache is cold; the number of source
    # documents (the about text) and the sources of the Dataset's JSON-LD (tests/query_counts.json
    # holds the exact counts, cold and warm).
    with django_assert_max_num_queries(24):
        response = client.get(reverse("home"))
    text = response.content.decode()
    assert "1325" in text and "UN Women" in text and "Western Balkans" in text
    assert f'action="{reverse("search")}"' in text
    for case_study in CaseStudy.objects.published():
        assert case_study.get_absolute_url() in text
    assert str(Partner.objects.published().count()) in text


def test_every_kind_of_detail_page_renders_within_budget(client, django_assert_max_num_queries):
    for url in detail_urls():
        with django_assert_max_num_queries(DETAIL_BUDGET):
            response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "model", [Partner, Activity, CaseStudy, Approach, Programme], ids=lambda m: m.__name__
)
def test_every_published_record_has_a_page(client, model):
    for record in model.objects.published():
        assert client.get(record.get_absolute_url()).status_code == 200, record


# -- query counts do not grow with the data ---------------------------------------------------------


@pytest.fixture
def more_records():
    """30 more published partners, each in a network, an activity and a case study, with citations."""

    def add(prefix, n=30):
        source = SourceDocument.objects.order_by("pk").first()
        country = Country.objects.get(code="XK")
        network = Partner.objects.create(
            name=f"{prefix} network",
            slug=f"{prefix}-network",
            kind="network",
            scope="national",
            status="published",
        )
        case_study = CaseStudy.objects.published().first()
        first_order = max(case_study.lessons.values_list("order", flat=True), default=0) + 1
        for i in range(n):
            partner = Partner.objects.create(
                name=f"{prefix} partner {i}",
                slug=f"{prefix}-partner-{i}",
                kind="ngo",
                scope="local",
                country=country,
                status="published",
            )
            PartnerRelation.objects.create(source=partner, type="member-of", target=network)
            activity = Activity.objects.create(
                title=f"{prefix} activity {i}",
                slug=f"{prefix}-activity-{i}",
                type="training",
                status="published",
            )
            activity.countries.add(country)
            Participation.objects.create(activity=activity, partner=partner, role="implementing")
            Participation.objects.create(activity=activity, partner=network, role="funding")
            case_study.partner_roles.create(partner=partner, role="partner")
            Lesson.objects.create(
                case_study=case_study, order=first_order + i, text=f"{prefix} lesson {i}", status="published"
            )
            for record in (partner, activity):
                Citation.objects.create(record=record, source=source, excerpt="an excerpt", section="s")
        refresh_search_text([Partner, Activity, Lesson])
        return network

    return add


def test_list_and_detail_query_counts_do_not_grow_with_more_records(client, more_records):
    network = more_records("warmup", n=2)
    urls = (
        [reverse(name) for name in LIST_PAGES]
        + detail_urls()
        + [
            network.get_absolute_url(),
            reverse("home"),
            reverse("search") + "?q=partner",
            reverse("partners:list") + "?country=XK&kind=ngo&kind=network&q=partner&sort=-name&page=2",
            reverse("activities:list") + "?country=XK&year_from=2000&year_to=2030&page=2",
        ]
    )
    for url in urls:
        client.get(url)  # warm the content-type cache
    before = {url: cold_queries_for(client, url) for url in urls}
    more_records("extra", n=30)
    after = {url: cold_queries_for(client, url) for url in urls}
    assert after == before


def cold_queries_for(client, url) -> int:
    """Queries of a request with the count cache empty (the test's writes are never committed, so
    they do not invalidate it: a warm count would hide the queries that could grow)."""
    from django.core.cache import cache

    cache.clear()
    return queries_for(client, url)[0]


# -- pages that do not exist --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/partners/no-such-partner/",
        "/activities/no-such-activity/",
        "/case-studies/no-such-case/",
        "/approaches/no-such-approach/",
        "/programmes/no-such-programme/",
        "/countries/ZZ/",
        "/sources/no-such-source/",
        "/no-such-page/",
    ],
)
def test_unknown_address_gives_a_helpful_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text
    assert f'action="{reverse("search")}"' in text
    for name in ("partners:list", "activities:list", "casestudies:list"):
        assert f'href="{reverse(name)}"' in text


def test_draft_partner_has_no_page_and_is_absent_from_lists_and_search(client):
    Partner.objects.create(name="Hidden Draft Body", slug="hidden-draft-body", kind="ngo", scope="local")
    refresh_search_text([Partner])
    assert client.get("/partners/hidden-draft-body/").status_code == 404
    assert b"Hidden Draft Body" not in client.get(reverse("partners:list") + "?q=hidden").content
    assert b"Hidden Draft Body" not in client.get(reverse("search") + "?q=hidden draft").content


def test_draft_activity_is_absent_from_its_partner_page(client):
    partner = first_published(Partner)
    activity = Activity.objects.create(
        title="Secret draft meeting", slug="secret-draft-meeting", type="meeting"
    )
    Participation.objects.create(activity=activity, partner=partner, role="participant")
    assert b"Secret draft meeting" not in client.get(partner.get_absolute_url()).content


def test_text_from_the_database_is_escaped(client):
    Partner.objects.create(
        name="<script>alert(1)</script> Body",
        slug="script-body",
        kind="ngo",
        scope="local",
        status="published",
        description="<b>bold</b>",
    )
    refresh_search_text([Partner])
    for url in [
        "/partners/script-body/",
        reverse("partners:list") + "?q=script",
        reverse("search") + "?q=script",
    ]:
        text = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in text
        # the search page marks the matched word inside the escaped text
        text = text.replace("<mark>", "").replace("</mark>", "")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_query_string_text_is_escaped(client):
    payload = '"><script>alert(1)</script>'
    for url in [reverse("partners:list"), reverse("search"), reverse("lessons:list")]:
        text = client.get(url, {"q": payload}).content.decode()
        assert "<script>alert(1)</script>" not in text


# -- what the detail pages show ----------------------------------------------------------------------


def test_partner_page_shows_aliases_kind_country_networks_members_activities_and_citations(client):
    source = SourceDocument.objects.order_by("pk").first()
    country = Country.objects.get(code="XK")
    network = Partner.objects.create(
        name="Test Network", slug="test-network", kind="network", scope="national", status="published"
    )
    partner = Partner.objects.create(
        name="Test Body", slug="test-body", acronym="TB", kind="womens-ngo", scope="local", country=country,
        status="published",
    )  # fmt: skip
    other = Partner.objects.create(
        name="Fellow Member", slug="fellow-member", kind="ngo", scope="local", status="published"
    )
    unit = Partner.objects.create(
        name="Test Unit", slug="test-unit", kind="ngo", scope="local", parent=partner, status="published"
    )
    partner.aliases.create(name="Testna Organizacija", kind="local")
    PartnerRelation.objects.create(source=partner, type="member-of", target=network)
    PartnerRelation.objects.create(source=other, type="member-of", target=network)
    activity = Activity.objects.create(
        title="Test workshop", slug="test-workshop", type="workshop", status="published",
        start_date="2010-06-01", start_precision="month",
    )  # fmt: skip
    Participation.objects.create(activity=activity, partner=partner, role="implementing")
    Citation.objects.create(
        record=partner, source=source, excerpt="A verbatim test excerpt", section="Chapter 9"
    )

    text = client.get(partner.get_absolute_url()).content.decode()
    assert "Testna Organizacija" in text
    assert "Women&#x27;s NGO" in text or "Women's NGO" in text
    assert country.get_absolute_url() in text
    assert network.get_absolute_url() in text and other.get_absolute_url() in text
    assert unit.get_absolute_url() in text
    assert activity.get_absolute_url() in text and "June 2010" in text and "Implementing" in text
    assert "1 June 2010" not in text
    assert "<blockquote" in text and "A verbatim test excerpt" in text and "Chapter 9" in text
    assert source.get_absolute_url() in text

    network_text = client.get(network.get_absolute_url()).content.decode()
    assert partner.get_absolute_url() in network_text and other.get_absolute_url() in network_text
    assert client.get(unit.get_absolute_url()).content.decode().count(partner.get_absolute_url()) >= 1


def test_activity_page_shows_dates_at_their_precision_participants_outputs_and_programme(client):
    activity = (
        Activity.objects.published().filter(participations__isnull=False, programme__isnull=False).first()
    )
    activity.outputs.create(quantity=90, unit="delegates")
    text = client.get(activity.get_absolute_url()).content.decode()
    assert activity.dates_display.replace("'", "&#x27;") in text
    assert activity.programme.get_absolute_url() in text
    assert "90</strong> delegates" in text
    for participation in activity.participations.filter(partner__status="published"):
        assert participation.partner.get_absolute_url() in text


def test_case_study_page_shows_background_results_lessons_partners_and_approaches(client):
    case_study = CaseStudy.objects.published().filter(approaches__isnull=False).first()
    text = client.get(case_study.get_absolute_url()).content.decode()
    for heading in ("Background", "What was done", "Results", "Lessons learned", "Partners"):
        assert heading in text
    for approach in case_study.approaches.published():
        assert approach.get_absolute_url() in text
    for role in case_study.partner_roles.filter(partner__status="published"):
        assert role.partner.get_absolute_url() in text
    assert text.count('id="lesson-') == case_study.lessons.published().count()


def test_approach_page_shows_lessons_issue_boxes_and_case_studies(client):
    approach = Approach.objects.published().filter(issue_boxes__isnull=False).first()
    text = client.get(approach.get_absolute_url()).content.decode()
    for box in approach.issue_boxes.published():
        assert f'id="{box.slug}"' in text
    for case_study in approach.case_studies.published():
        assert case_study.get_absolute_url() in text
    assert text.count('id="lesson-') == approach.lessons.published().count()


def test_source_page_lists_every_citing_record_grouped_by_type(client):
    source = max(SourceDocument.objects.all(), key=lambda s: s.citations.count())
    text = client.get(source.get_absolute_url()).content.decode()
    partner_citations = source.citations.filter(content_type__model="partner")
    assert "Partners" in text
    for citation in partner_citations[:20]:
        if citation.record.is_published:
            assert citation.record.get_absolute_url() in text


def test_country_page_shows_partners_activities_and_case_studies(client):
    kosovo = Country.objects.get(code="XK")
    text = client.get(kosovo.get_absolute_url()).content.decode()
    assert f"{reverse('partners:list')}?country=XK" in text
    assert f"{reverse('activities:list')}?country=XK" in text
    for case_study in kosovo.case_studies.published():
        assert case_study.get_absolute_url() in text


def test_programme_page_links_its_phases_to_the_filtered_activity_list(client):
    programme = Programme.objects.published().filter(phases__isnull=False).first()
    text = client.get(programme.get_absolute_url()).content.decode()
    for phase in programme.phases.all():
        assert f"{reverse('activities:list')}?phase={phase.slug}" in text
        assert f'id="phase-{phase.number}"' in text
