"""The list pages: filters from the shared FilterSets, facets with counts, sorting, pagination,
messages about ignored parameters, and the CSV link to the API."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from activities.filtersets import ActivityFilterSet
from activities.models import Activity, Participation, Phase, Programme
from casestudies.filtersets import CaseStudyFilterSet, LessonFilterSet
from casestudies.models import Approach, CaseStudy, Lesson
from partners.filtersets import PartnerFilterSet
from partners.models import Country, Partner

pytestmark = pytest.mark.django_db


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, params)
    return response.content.decode()


def count_shown(text):
    match = re.search(r'class="result-count"[^>]*>(\d+) ', text)
    assert match, "no result count on the page"
    return int(match.group(1))


def csv_link(text):
    match = re.search(r'<a class="button download" href="([^"]+)"', text)
    assert match, "no Download CSV link"
    return match.group(1).replace("&amp;", "&")


def filtered_count(filterset_class, queryset, params):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in params.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    filterset = filterset_class(data=data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def test_list_says_how_many_records_match(client):
    text = get(client, reverse("partners:list"))
    total = Partner.objects.published().count()
    assert count_shown(text) == total
    assert f"{total} partners" in text


def test_country_facet_lists_counts_per_value_as_checkboxes(client):
    text = get(client, reverse("partners:list"))
    xk = Partner.objects.published().filter(country__code="XK").count()
    assert re.search(
        r'name="country" value="XK"[^>]*> <span class="facet-label">Kosovo</span> <span class="facet-count">'
        + str(xk)
        + "<",
        text,
    )


def test_several_values_of_one_facet_combine_with_or(client):
    params = {"country": ["XK", "BA"]}
    text = get(client, reverse("partners:list"), params)
    expected = Partner.objects.published().filter(country__code__in=["XK", "BA"]).count()
    assert count_shown(text) == expected
    assert expected > Partner.objects.published().filter(country__code="XK").count()
    assert 'value="XK" checked' in text and 'value="BA" checked' in text


def test_different_facets_combine_with_and(client):
    params = {"country": "XK", "kind": "womens-ngo"}
    text = get(client, reverse("partners:list"), params)
    expected = Partner.objects.published().filter(country__code="XK", kind="womens-ngo").count()
    assert count_shown(text) == expected


def test_free_text_box_filters_and_accepts_both_spellings(client):
    expected = Partner.objects.published().search("women").count()
    assert count_shown(get(client, reverse("partners:list"), {"q": "women"})) == expected
    assert count_shown(get(client, reverse("partners:list"), {"search": "women"})) == expected
    assert 'value="women"' in get(client, reverse("partners:list"), {"search": "women"})


def test_sorting_accepts_sort_and_ordering(client):
    names = list(Partner.objects.published().order_by("-name").values_list("name", flat=True)[:2])
    for param in ("sort", "ordering"):
        text = get(client, reverse("partners:list"), {param: "-name"})
        first = text.index('class="card-title"')
        assert text.index(names[0].replace("'", "&#x27;"), first) < text.index(
            names[1].replace("'", "&#x27;"), first
        )
    assert '<option value="-name" selected>' in get(client, reverse("partners:list"), {"sort": "-name"})


def test_lists_paginate_25_per_page_and_keep_the_filters_in_page_links(client):
    text = get(client, reverse("activities:list"), {"country": "XK"})
    assert text.count('<article class="card">') == min(25, count_shown(text))
    if count_shown(text) > 25:
        assert 'href="?country=XK&amp;page=2#results"' in text  # to the results, past the filters
        page2 = get(client, reverse("activities:list"), {"country": "XK", "page": "2"})
        assert count_shown(page2) == count_shown(text)
        assert 'aria-current="page" class="current"><span class="visually-hidden">Page </span>2' in page2


@pytest.mark.parametrize(
    "params, ignored",
    [
        ({"page": "abc"}, "page=abc"),
        ({"page": "9999"}, "page=9999"),
        ({"page": "0"}, "page=0"),
        ({"country": "ZZZ"}, "country=ZZZ"),
        ({"year_from": "20x1"}, "year_from=20x1"),
        ({"year_to": "99999"}, "year_to=99999"),
        ({"sort": "drop"}, "sort=drop"),
        ({"kind": "spaceship"}, "kind=spaceship"),
        ({"role": "dictator"}, "role=dictator"),
        ({"programme": "no-such-programme"}, "programme=no-such-programme"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_parameters_are_ignored_with_a_visible_message(client, params, ignored):
    text = get(client, reverse("partners:list"), params)
    assert "Some parameters were ignored" in text
    assert ignored in text
    if "page" not in params:
        assert count_shown(text) == Partner.objects.published().count()


def test_bad_parameter_is_dropped_but_the_good_ones_still_apply(client):
    text = get(client, reverse("partners:list"), {"country": ["XK"], "year_from": "20x1", "sort": "drop"})
    assert count_shown(text) == Partner.objects.published().filter(country__code="XK").count()
    assert "year_from=20x1" in text and "sort=drop" in text
    assert csv_link(text) == "/api/v1/partners/?country=XK&format=csv"


def test_page_past_the_end_shows_the_last_page(client):
    text = get(client, reverse("partners:list"), {"page": "9999"})
    pages = -(-Partner.objects.published().count() // 25)
    assert f"there are only {pages} pages; showing the last" in text
    assert text.count('<article class="card">') > 0


@pytest.mark.parametrize(
    "name, resource",
    [
        ("partners:list", "partners"),
        ("activities:list", "activities"),
        ("casestudies:list", "case-studies"),
        ("lessons:list", "lessons"),
        ("approaches:list", "approaches"),
        ("programmes:list", "programmes"),
        ("countries:list", "countries"),
        ("sources:list", "sources"),
    ],
)
def test_download_csv_links_to_the_api_list_with_the_same_query(client, name, resource):
    assert csv_link(get(client, reverse(name))) == f"/api/v1/{resource}/?format=csv"
    link = csv_link(get(client, reverse(name), {"q": "women", "page": "1"}))
    assert urlsplit(link).path == f"/api/v1/{resource}/"
    assert parse_qs(urlsplit(link).query) == {"q": ["women"], "format": ["csv"]}


def test_download_csv_keeps_every_filter_and_the_sort(client):
    text = get(
        client, reverse("partners:list"), {"country": ["XK", "BA"], "kind": "network", "sort": "-name"}
    )
    query = parse_qs(urlsplit(csv_link(text)).query)
    assert query == {"country": ["XK", "BA"], "kind": ["network"], "sort": ["-name"], "format": ["csv"]}


def test_empty_result_shows_a_clear_empty_state(client):
    text = get(client, reverse("partners:list"), {"q": "xqzvbnmwq"})
    assert count_shown(text) == 0
    assert "No partners match" in text
    assert 'href="/partners/"' in text
    assert "search every kind of record" in text


def test_filters_without_a_control_are_kept_as_hidden_inputs_and_shown_as_active(client):
    participation = (
        Participation.objects.filter(partner__status="published", activity__status="published")
        .select_related("partner")
        .first()
    )
    slug = participation.partner.slug
    text = get(client, reverse("activities:list"), {"partner": slug})
    assert f'<input type="hidden" name="partner" value="{slug}">' in text
    assert count_shown(text) == filtered_count(
        ActivityFilterSet, Activity.objects.published(), {"partner": slug}
    )
    assert 'class="active-filters"' in text


def test_active_filter_has_a_link_that_removes_only_it(client):
    text = get(client, reverse("partners:list"), {"country": ["XK", "BA"], "kind": "network"})
    assert 'href="/partners/?country=BA&amp;kind=network"' in text
    assert 'href="/partners/?country=XK&amp;country=BA"' in text


def test_a_selected_value_with_no_match_keeps_its_checkbox(client):
    text = get(client, reverse("partners:list"), {"country": "XK", "q": "xqzvbnmwq"})
    assert 'name="country" value="XK" checked' in text


def test_year_filters_use_the_activity_dates(client):
    text = get(client, reverse("activities:list"), {"year_from": "2008", "year_to": "2009"})
    assert count_shown(text) == Activity.objects.published().in_years(2008, 2009).count()
    assert 'name="year_from" type="number"' in text and 'value="2008"' in text


# Every filter of every list page, with a value taken from the data.
def filter_cases():
    def first(model, field, **where):
        return model.objects.filter(**where).values_list(field, flat=True).first()

    return [
        ("partners:list", PartnerFilterSet, Partner, {"country": "XK"}),
        ("partners:list", PartnerFilterSet, Partner, {"kind": "womens-ngo"}),
        ("partners:list", PartnerFilterSet, Partner, {"scope": "national"}),
        ("partners:list", PartnerFilterSet, Partner, {"role": "implementing"}),
        ("partners:list", PartnerFilterSet, Partner, {"programme": first(Programme, "slug")}),
        ("partners:list", PartnerFilterSet, Partner, {"phase": first(Phase, "slug")}),
        ("partners:list", PartnerFilterSet, Partner, {"approach": first(Approach, "slug")}),
        ("partners:list", PartnerFilterSet, Partner, {"network": first(Partner, "slug", kind="network")}),
        ("partners:list", PartnerFilterSet, Partner, {"year_from": "2005", "year_to": "2010"}),
        ("activities:list", ActivityFilterSet, Activity, {"country": "BA"}),
        ("activities:list", ActivityFilterSet, Activity, {"type": "training"}),
        ("activities:list", ActivityFilterSet, Activity, {"programme": first(Programme, "slug")}),
        ("activities:list", ActivityFilterSet, Activity, {"phase": first(Phase, "slug")}),
        ("activities:list", ActivityFilterSet, Activity, {"role": "funding"}),
        ("activities:list", ActivityFilterSet, Activity, {"approach": first(Approach, "slug")}),
        ("activities:list", ActivityFilterSet, Activity, {"q": "police"}),
        ("casestudies:list", CaseStudyFilterSet, CaseStudy, {"section": "networking"}),
        ("casestudies:list", CaseStudyFilterSet, CaseStudy, {"country": "XK"}),
        ("casestudies:list", CaseStudyFilterSet, CaseStudy, {"approach": first(Approach, "slug")}),
        (
            "casestudies:list",
            CaseStudyFilterSet,
            CaseStudy,
            {"partner": first(Partner, "slug", kind="network")},
        ),
        ("casestudies:list", CaseStudyFilterSet, CaseStudy, {"year_from": "2005"}),
        ("lessons:list", LessonFilterSet, Lesson, {"section": "government"}),
        ("lessons:list", LessonFilterSet, Lesson, {"approach": first(Approach, "slug")}),
        ("lessons:list", LessonFilterSet, Lesson, {"country": "XK"}),
    ]


def test_every_filter_of_every_list_gives_the_filterset_count(client):
    for name, filterset_class, model, params in filter_cases():
        text = get(client, reverse(name), params)
        assert "Some parameters were ignored" not in text, (name, params)
        assert count_shown(text) == filtered_count(filterset_class, model.objects.published(), params), (
            name,
            params,
        )


def test_countries_list_search_and_region_facet(client):
    text = get(client, reverse("countries:list"), {"q": "kosovo"})
    assert count_shown(text) == 1
    region = Country.objects.exclude(region="").values_list("region", flat=True).first()
    text = get(client, reverse("countries:list"), {"region": region})
    assert count_shown(text) == Country.objects.filter(region__iexact=region).count()


def test_list_pages_work_without_javascript_via_get_forms(client):
    text = get(client, reverse("partners:list"))
    # The form goes to the results (past the header and filters) when applied.
    assert re.search(r'<form class="filters" method="get" action="/partners/#results"', text)
    assert re.search(r'<button type="submit" class="primary"[^>]*>Apply filters</button>', text)
