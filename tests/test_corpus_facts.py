"""Spot checks: specific facts from each of the five documents are in the corpus, correctly linked.

Each test names the document it checks. They look records up by what a reader would search for
(partner, date, place), not only by slug, so a curator's renaming does not hide a lost fact.
"""

import datetime

import pytest

from activities.models import Activity, Programme
from casestudies.models import Approach, CaseStudy, Lesson
from partners.models import Country, Partner

pytestmark = pytest.mark.django_db


def activities_of(partner_slug, **filters):
    return (
        Activity.objects.published().filter(participations__partner__slug=partner_slug, **filters).distinct()
    )


# -- unifem-1325-see: the programme summary ------------------------------------------------------


def test_programme_has_its_two_phases_with_their_years():
    programme = Programme.objects.published().get(slug="unifem-1325-see")
    phases = [(p.number, p.start_year, p.end_year) for p in programme.phases.all()]
    assert phases == [(1, 2005, 2008), (2, 2008, 2011)]
    assert set(programme.countries.values_list("code", flat=True)) == {"XK", "RS", "BA"}
    assert programme.thematic_areas.count() == 8  # headings A to H


def test_kwn_founded_in_2000_and_its_monitoring_report_launched_december_2007():
    kwn = Partner.objects.published().get(acronym="KWN")
    assert kwn.founded_year == 2000
    assert kwn.country.code == "XK"
    launches = activities_of(
        "kosovo-womens-network", start_date=datetime.date(2007, 12, 1), start_precision="month"
    )
    assert launches.filter(type="monitoring-report").exists()
    launch = launches.filter(type="monitoring-report").first()
    assert launch.start == "2007-12"  # the month, never a made-up day


def test_say_no_campaign_launched_on_26_november_2007():
    launch = Activity.objects.published().get(
        start_date=datetime.date(2007, 11, 26), start_precision="day", type="campaign"
    )
    assert launch.participations.filter(partner__slug="un-women").exists()


def test_kosovo_police_gender_focal_points_in_30_stations():
    assert activities_of("kosovo-police", outputs__quantity=30).exists()


def test_womens_peace_coalition_joins_kwn_and_women_in_black():
    coalition = Partner.objects.published().get(slug="womens-peace-coalition")
    members = set(
        coalition.relations_to.filter(type__in=["member-of", "co-founded"]).values_list(
            "source__slug", flat=True
        )
    )
    assert {"kosovo-womens-network", "women-in-black"} <= members


# -- unwomen-networking-2011: the report -----------------------------------------------------------


def test_all_ten_case_studies_in_their_sections():
    sections = dict(CaseStudy.objects.published().values_list("number", "section"))
    assert sections == {
        1: "networking", 2: "networking", 3: "networking", 4: "networking", 5: "networking",
        6: "government", 7: "government",
        8: "multi-stakeholder", 9: "multi-stakeholder", 10: "multi-stakeholder",
    }  # fmt: skip


def test_case_study_9_partners_are_zene_zenama_eufor_and_eupm_with_roles():
    case_study = CaseStudy.objects.published().get(number=9)
    roles = {(r.partner.slug, r.role) for r in case_study.partner_roles.select_related("partner")}
    partners = {slug for slug, _role in roles}
    assert {"zene-zenama", "eufor", "eupm", "un-women"} <= partners
    assert ("zene-zenama", "implementing") in roles
    assert case_study.country.code == "BA"


def test_rwl_conference_in_skopje_june_2010_with_90_delegates():
    conference = activities_of("regional-womens-lobby", type="conference", location__icontains="Skopje").get()
    assert conference.start == "2010-06"
    assert conference.dates_display == "June 2010"
    assert conference.outputs.filter(quantity__gte=90).exists() or "90" in conference.summary


def test_seven_networking_approaches_each_with_its_lessons_in_order():
    approaches = Approach.objects.published().filter(kind="networking").order_by("number")
    assert [a.number for a in approaches] == [1, 2, 3, 4, 5, 6, 7]
    for approach in approaches:
        orders = list(approach.lessons.values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1)), approach.slug
        assert orders, f"{approach.slug} has no lessons"


def test_issue_box_on_men_belongs_to_ownership():
    approach = Approach.objects.get(slug="ownership-and-sustainability")
    assert approach.issue_boxes.filter(title__icontains="men").exists()


def test_every_case_study_has_results_and_lessons_with_citations():
    for case_study in CaseStudy.objects.published():
        assert case_study.results.exists(), case_study.number
        assert case_study.lessons.exists(), case_study.number
        assert case_study.citations.exists(), case_study.number
    assert Lesson.objects.published().filter(citations__isnull=True).count() == 0


def test_rae_network_is_one_record_known_by_both_acronyms():
    by_first = Partner.objects.published().search("RROGRAEK")
    by_second = Partner.objects.published().search("KRAEWN")
    assert by_first[0] == by_second[0]
    assert by_first[0].slug == "roma-ashkali-and-egyptian-womens-network"


def test_norma_is_one_record_under_both_names():
    first = Partner.objects.published().search("LA NORMA")[0]
    assert first == Partner.objects.published().search("Kosovo Lawyers Association")[0]
    assert first.slug == "norma"


def test_agencies_for_gender_equality_in_kosovo_and_bih_are_kept_apart():
    kosovo = Partner.objects.get(slug="agency-for-gender-equality-kosovo")
    bih = Partner.objects.get(slug="agency-for-gender-equality-bih")
    assert (kosovo.country.code, bih.country.code) == ("XK", "BA")


# -- unwomen-in-action --------------------------------------------------------------------------


def test_five_thousand_dresses_in_pristina_stadium_in_2015():
    installation = Activity.objects.published().get(outputs__quantity=5000)
    assert installation.start == "2015"
    assert "Pristina" in installation.location
    assert installation.countries.filter(code="XK").exists()


def test_kyrgyz_training_reached_2000_students_in_23_municipalities():
    training = (
        Activity.objects.published().filter(countries__code="KG", outputs__quantity=2000).distinct().get()
    )
    assert training.outputs.filter(quantity=23).exists()


def test_kosovo_carries_its_resolution_1244_note():
    kosovo = Country.objects.get(code="XK")
    assert "1244" in kosovo.note


# -- unwomen-bih-2012 ---------------------------------------------------------------------------


def test_bih_2012_project_serves_four_action_plan_objectives():
    project = Programme.objects.published().get(slug="bih-1325-security-sector-2012")
    assert project.thematic_areas.count() == 4
    assert project.countries.filter(code="BA").exists()


def test_bih_2012_ten_local_workshops_implemented_by_zene_zenama():
    workshops = activities_of(
        "zene-zenama", type="workshop", outputs__quantity=10, programme__slug="bih-1325-security-sector-2012"
    )
    assert workshops.exists()


def test_broken_characters_are_repaired_in_the_data():
    zz = Partner.objects.get(slug="zene-zenama")
    assert zz.name == "Žene Ženama"
    assert "\ufffd" not in zz.description
    assert not Activity.objects.filter(summary__contains="\ufffd").exists()
