"""The database itself refuses bad data: each constraint meets a record that violates it."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from activities.models import Activity, Participation, Phase, Programme
from casestudies.models import Approach, CaseStudy, Lesson
from partners.models import Alias, Country, Partner, PartnerRelation
from wps_portal.models import Citation, SourceDocument

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


@pytest.fixture
def partner():
    return Partner.objects.create(name="Test Network", slug="test-network", kind="network", scope="national")


@pytest.fixture
def other_partner():
    return Partner.objects.create(name="Test NGO", slug="test-ngo", kind="ngo", scope="local")


def test_partner_slug_is_unique(partner):
    refused(lambda: Partner.objects.create(name="Again", slug=partner.slug, kind="ngo", scope="local"))


def test_partner_kind_must_come_from_the_vocabulary():
    refused(lambda: Partner.objects.create(name="X", slug="x-kind", kind="club", scope="local"))


def test_partner_scope_must_come_from_the_vocabulary():
    refused(lambda: Partner.objects.create(name="X", slug="x-scope", kind="ngo", scope="galactic"))


def test_partner_status_must_be_draft_or_published():
    refused(lambda: Partner.objects.create(name="X", slug="x-st", kind="ngo", scope="local", status="secret"))


def test_partner_cannot_be_its_own_parent(partner):
    def make_own_parent():
        Partner.objects.filter(pk=partner.pk).update(parent=partner.pk)

    refused(make_own_parent)


def test_alias_is_unique_per_partner(partner):
    Alias.objects.create(partner=partner, name="TN")
    refused(lambda: Alias.objects.create(partner=partner, name="TN"))


def test_relation_type_must_come_from_the_vocabulary(partner, other_partner):
    refused(lambda: PartnerRelation.objects.create(source=other_partner, target=partner, type="likes"))


def test_relation_cannot_link_a_partner_to_itself(partner):
    refused(lambda: PartnerRelation.objects.create(source=partner, target=partner, type="member-of"))


def test_relation_start_year_not_after_end_year(partner, other_partner):
    refused(
        lambda: PartnerRelation.objects.create(
            source=other_partner, target=partner, type="member-of", start_year=2010, end_year=2005
        )
    )


def test_country_code_is_two_capital_letters():
    refused(lambda: Country.objects.create(code="xk", name="Lowercase land"))


def test_activity_start_not_after_end():
    refused(
        lambda: Activity.objects.create(
            title="Backwards",
            slug="backwards",
            type="workshop",
            start_date=datetime.date(2010, 6, 1),
            end_date=datetime.date(2009, 1, 1),
        )
    )


def test_activity_end_needs_a_start():
    refused(
        lambda: Activity.objects.create(
            title="No start", slug="no-start", type="workshop", end_date=datetime.date(2009, 1, 1)
        )
    )


def test_activity_type_must_come_from_the_vocabulary():
    refused(lambda: Activity.objects.create(title="X", slug="x-type", type="party"))


def test_activity_precision_must_come_from_the_vocabulary():
    refused(
        lambda: Activity.objects.create(title="X", slug="x-prec", type="workshop", start_precision="week")
    )


def test_activity_slug_is_unique():
    Activity.objects.create(title="Once", slug="once", type="workshop")
    refused(lambda: Activity.objects.create(title="Twice", slug="once", type="workshop"))


def test_participation_role_must_come_from_the_vocabulary(partner):
    activity = Activity.objects.create(title="X", slug="x-role", type="workshop")
    refused(lambda: Participation.objects.create(activity=activity, partner=partner, role="sponsor"))


def test_phase_start_not_after_end():
    programme = Programme.objects.create(name="P", slug="p-test")
    refused(
        lambda: Phase.objects.create(
            programme=programme, number=1, slug="p-test-1", name="I", start_year=2011, end_year=2008
        )
    )


def test_lesson_needs_exactly_one_owner():
    approach = Approach.objects.create(kind="networking", title="A", slug="a-test")
    case_study = CaseStudy.objects.create(number=99, title="C", slug="c-test", section="networking")
    refused(lambda: Lesson.objects.create(order=1, text="orphan", slug="orphan"))
    refused(
        lambda: Lesson.objects.create(
            order=1, text="two owners", slug="two-owners", approach=approach, case_study=case_study
        )
    )


def test_lesson_order_is_unique_within_its_owner():
    approach = Approach.objects.create(kind="networking", title="A", slug="a-order")
    Lesson.objects.create(order=1, text="first", approach=approach)
    refused(lambda: Lesson.objects.create(order=1, text="again", slug="again", approach=approach))


def test_case_study_section_must_come_from_the_vocabulary():
    refused(lambda: CaseStudy.objects.create(number=98, title="C", slug="c-sec", section="misc"))


def test_case_study_number_is_unique():
    CaseStudy.objects.create(number=97, title="C", slug="c-97", section="networking")
    refused(lambda: CaseStudy.objects.create(number=97, title="D", slug="d-97", section="networking"))


def test_citation_excerpt_is_at_most_300_characters(partner):
    source = SourceDocument.objects.create(key="s-test", title="S", publisher="P", filename="s.txt")
    refused(
        lambda: Citation.objects.create(
            content_type=ContentType.objects.get_for_model(Partner),
            object_id=partner.pk,
            source=source,
            excerpt="x" * 301,
        )
    )


def test_citation_excerpt_is_not_empty(partner):
    source = SourceDocument.objects.create(key="s-empty", title="S", publisher="P", filename="s.txt")
    refused(
        lambda: Citation.objects.create(
            content_type=ContentType.objects.get_for_model(Partner),
            object_id=partner.pk,
            source=source,
            excerpt="",
        )
    )


def test_published_queryset_hides_drafts(partner):
    assert partner.status == "draft"
    assert not Partner.objects.published().filter(pk=partner.pk).exists()
    partner.status = "published"
    partner.save()
    assert Partner.objects.published().filter(pk=partner.pk).exists()
