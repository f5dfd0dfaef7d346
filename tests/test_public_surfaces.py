"""Drafts stay off every public surface (lists, facets, filters, search, counts, the API), odd
input never gives a 500, and pages sorted by a tied key neither repeat nor skip records."""

import re
from collections import Counter

import pytest
from django.contrib.auth.models import Permission, User
from django.db.models import Count
from django.urls import reverse
from rest_framework.test import APIClient

from activities.filtersets import ActivityFilterSet
from activities.models import Activity, Participation
from casestudies.models import Approach, CaseStudy, IssueBox, Lesson
from partners.models import Partner
from wps_portal import cache, services
from wps_portal.models import Citation, SourceDocument
from wps_portal.search import MAX_TERMS, terms
from wps_portal.tokens import create_token

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def api():
    return APIClient()


def unpublish(queryset):
    """Back to draft through the write path. Its cache invalidation runs when the transaction
    commits, which a test never does: run it now."""
    services.update(queryset, status="draft")
    cache.bump()


def api_slugs(api, resource, **params):
    response = api.get(f"{API}{resource}/", {"page_size": 500, "fields": "slug", **params})
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def html(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, params)
    return response.content.decode()


def case_study_with_lessons():
    return CaseStudy.objects.published().annotate(n=Count("lessons")).filter(n__gt=0).first()


# -- odd input ----------------------------------------------------------------------------------

MANY_WORDS = " ".join(f"w{i}" for i in range(300))


@pytest.mark.parametrize(
    "url", ["/search/", "/partners/", "/activities/", "/lessons/", f"{API}partners/", f"{API}lessons/"]
)
def test_query_of_hundreds_of_words_is_answered_not_a_500(client, url):
    response = client.get(url, {"q": MANY_WORDS})
    assert response.status_code == 200


def test_search_keeps_a_bounded_number_of_words_and_matches_by_prefix():
    assert len(terms(MANY_WORDS)) == MAX_TERMS
    assert terms("Žene " + "x" * 500) == ["zene", "x" * 60]


# -- a total order ------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["type", "-type", "start", None])
def test_filtered_results_are_in_a_total_order_whatever_the_sort(sort):
    filterset = ActivityFilterSet(data={"sort": sort} if sort else {}, queryset=Activity.objects.published())
    assert filterset.qs.query.order_by[-1] == "pk"


def test_pages_sorted_by_a_tied_key_neither_repeat_nor_skip_records(api):
    url, seen = f"{API}activities/?sort=type&page_size=7&fields=slug", []
    while url:
        page = api.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == Activity.objects.published().count()


# -- lessons and issue boxes of a draft owner -------------------------------------------------


def test_lessons_of_a_draft_case_study_are_on_no_public_surface(client, api):
    case_study = case_study_with_lessons()
    lesson = case_study.lessons.published().first()
    lessons_before = Lesson.objects.published().count()
    CaseStudy.objects.filter(pk=case_study.pk).update(status="draft")

    assert not Lesson.objects.published().filter(case_study=case_study).exists()
    assert lesson.slug not in api_slugs(api, "lessons")
    assert count_on_list(html(client, reverse("lessons:list"))) == Lesson.objects.published().count()
    assert Lesson.objects.published().count() < lessons_before
    assert lesson.get_absolute_url() not in html(client, reverse("search"), {"q": lesson.text[:60]})
    home = html(client, reverse("home"))
    assert f"<strong>{Lesson.objects.published().count()}</strong> lessons" in home


def test_issue_boxes_of_a_draft_approach_are_absent_from_the_api_and_search(client, api):
    box = IssueBox.objects.published().select_related("approach").first()
    Approach.objects.filter(pk=box.approach_id).update(status="draft")
    assert box.slug not in api_slugs(api, "issue-boxes")
    assert api.get(f"{API}issue-boxes/{box.slug}/").status_code == 404
    assert box.get_absolute_url() not in html(client, reverse("search"), {"q": box.title})


def count_on_list(text):
    return int(re.search(r'class="result-count"[^>]*>(\d+) ', text).group(1))


# -- facets and filters across relations -------------------------------------------------------


def test_draft_approach_is_neither_a_facet_value_nor_an_accepted_filter(client, api):
    approach = Approach.objects.published().filter(case_studies__status="published").first()
    assert f'name="approach" value="{approach.slug}"' in html(client, reverse("casestudies:list"))
    unpublish(Approach.objects.filter(pk=approach.pk))

    assert f'name="approach" value="{approach.slug}"' not in html(client, reverse("casestudies:list"))
    assert api.get(f"{API}case-studies/", {"approach": approach.slug}).status_code == 400
    text = html(client, reverse("casestudies:list"), {"approach": approach.slug})
    assert "Ignored approach=" in text


def only_participation_in_role():
    """A participation that is its partner's only one in that role."""
    row = (
        Participation.objects.filter(partner__status="published", activity__status="published")
        .values("partner", "role")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .order_by("partner", "role")
        .first()
    )
    return Participation.objects.select_related("partner").get(partner=row["partner"], role=row["role"])


def test_partner_role_filter_and_facet_count_only_published_activities(client, api):
    participation = only_participation_in_role()
    role, partner = participation.role, participation.partner
    assert partner.slug in api_slugs(api, "partners", role=role)
    before = facet_count(html(client, reverse("partners:list")), "role", role)

    unpublish(Activity.objects.filter(pk=participation.activity_id))

    assert partner.slug not in api_slugs(api, "partners", role=role)
    assert facet_count(html(client, reverse("partners:list")), "role", role) == before - 1


def test_partner_year_filter_counts_only_published_activities(api):
    participation = (
        Participation.objects.filter(activity__start_date__isnull=False, partner__status="published")
        .annotate(n=Count("partner__participations"))
        .filter(n=1)
        .select_related("activity", "partner")
        .first()
    )
    year = participation.activity.start_date.year
    assert participation.partner.slug in api_slugs(api, "partners", year_from=year, year_to=year)
    Activity.objects.filter(pk=participation.activity_id).update(status="draft")
    assert participation.partner.slug not in api_slugs(api, "partners", year_from=year, year_to=year)


def test_draft_partner_slug_is_refused_as_a_filter_value(api):
    partner = Partner.objects.published().filter(participations__isnull=False).first()
    Partner.objects.filter(pk=partner.pk).update(status="draft")
    response = api.get(f"{API}activities/", {"partner": partner.slug})
    assert response.status_code == 400
    assert "partner" in response.json()


def facet_count(text, name, value):
    match = re.search(
        rf'name="{name}" value="{value}"[^>]*> <span class="facet-label">[^<]*</span> '
        r'<span class="facet-count">(\d+)<',
        text,
    )
    return int(match.group(1)) if match else 0


# -- counts of citations ------------------------------------------------------------------------


def test_citations_of_drafts_are_not_counted_on_home_and_sources(client):
    partner = Partner.objects.published().annotate(n=Count("citations")).filter(n__gt=0).first()
    cited = Counter(partner.citations.values_list("source__key", flat=True))
    total = Citation.objects.public().count()
    source = SourceDocument.objects.get(key=next(iter(cited)))
    per_source = source_citation_count(html(client, reverse("sources:list")), source)

    Partner.objects.filter(pk=partner.pk).update(status="draft")

    assert Citation.objects.public().count() == total - sum(cited.values())
    assert f"<strong>{total - sum(cited.values()):,}</strong> citations" in html(client, reverse("home"))
    after = source_citation_count(html(client, reverse("sources:list")), source)
    assert after == per_source - cited[source.key]


def source_citation_count(text, source):
    block = text[text.index(source.get_absolute_url()) :]
    return int(re.search(r"<span>(\d+) citations?</span>", block).group(1))


# -- writes are findable at once ---------------------------------------------------------------


def test_partner_created_through_the_api_is_found_by_search_at_once(api):
    user = User.objects.create_user("curator")
    # creating a record as published is publishing: a Reviewer's permission (test_curation.py)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_partner", "publish_record"]))
    api.credentials(HTTP_AUTHORIZATION=f"Token {create_token(user.username).token}")
    response = api.post(
        f"{API}partners/",
        {
            "slug": "zenska-mreza-test",
            "name": "Ženska mreža Testograd",
            "kind": "ngo",
            "scope": "national",
            "status": "published",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "zenska-mreza-test" in api_slugs(APIClient(), "partners", q="zenska testograd")


def test_unknown_format_on_a_list_is_a_400_saying_what_is_allowed(api):
    response = api.get(f"{API}partners/", {"format": "xml"})
    assert response.status_code == 400
    assert "json, csv" in response.json()["format"][0]
