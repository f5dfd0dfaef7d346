"""The synthetic seed: reproducible, constraint-clean, findable like real records."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from activities.models import Activity, Output, Participation
from casestudies.models import Lesson
from partners.models import Alias, Partner, PartnerRelation
from wps_portal import synthetic
from wps_portal.models import Citation
from wps_portal.search import refresh_search_text

pytestmark = pytest.mark.django_db

SIZE = {"partners": 60, "activities": 400}


def snapshot():
    """Every synthetic row by natural keys, without primary keys or timestamps."""
    mark = rf"{synthetic.SLUG_MARK}\d+$"
    partners = Partner.objects.filter(slug__regex=mark)
    activities = Activity.objects.filter(slug__regex=mark)
    skip = {"id", "created", "updated"}

    def rows(queryset, *extra):
        # primary and foreign keys differ by database (sequences); the natural keys are in extra
        names = [
            f.attname
            for f in queryset.model._meta.concrete_fields
            if f.attname not in skip and not f.is_relation
        ]
        return sorted(map(repr, queryset.values_list(*names, *extra)))

    return {
        "partners": rows(partners.order_by("slug"), "country__code", "parent__slug"),
        "aliases": rows(Alias.objects.filter(partner__in=partners), "partner__slug"),
        "relations": rows(
            PartnerRelation.objects.filter(source__in=partners), "source__slug", "target__slug"
        ),
        "activities": rows(activities, "programme__slug", "phase__slug", "thematic_area__slug"),
        "participations": rows(
            Participation.objects.filter(activity__in=activities), "activity__slug", "partner__slug"
        ),
        "countries": sorted(activities.values_list("slug", "countries__code")),
        "outputs": rows(Output.objects.filter(activity__in=activities), "activity__slug"),
        "lessons": rows(Lesson.objects.filter(slug__regex=mark), "case_study__slug", "approach__slug"),
        "citations": sorted(
            Citation.objects.filter(object_id__in=activities.values("pk"), content_type__model="activity")
            .values_list("source__key", "excerpt")
            .order_by()
        ),
    }


def seed_and_snapshot(**kwargs):
    with transaction.atomic():
        synthetic.seed(**{**SIZE, **kwargs})
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_the_same_seed_gives_the_same_records():
    first, second = seed_and_snapshot(seed=7), seed_and_snapshot(seed=7)
    assert first["activities"] and first["participations"] and first["aliases"]
    assert first == second


def test_another_seed_gives_other_records():
    assert seed_and_snapshot(seed=1)["activities"] != seed_and_snapshot(seed=2)["activities"]


def test_seeded_records_satisfy_every_constraint_and_validation():
    stats = synthetic.seed(**SIZE, seed=3)
    assert stats.partners == SIZE["partners"] and stats.activities == SIZE["activities"]
    mark = rf"{synthetic.SLUG_MARK}\d+$"
    partners = Partner.objects.filter(slug__regex=mark)
    activities = Activity.objects.filter(slug__regex=mark)
    records = [
        *partners,
        *activities,
        *Alias.objects.filter(partner__in=partners),
        *PartnerRelation.objects.filter(source__in=partners),
        *Participation.objects.filter(activity__in=activities),
        *Output.objects.filter(activity__in=activities),
        *Lesson.objects.filter(slug__regex=mark),
    ]
    for record in records:
        record.full_clean()  # fields, clean() (a phase of the activity's programme…), constraints
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []


def test_seeded_participants_per_activity_are_one_to_six_in_roles():
    synthetic.seed(**SIZE, seed=4)
    per_activity = {}
    for activity_id, role in Participation.objects.filter(
        activity__slug__regex=rf"{synthetic.SLUG_MARK}\d+$"
    ).values_list("activity_id", "role"):
        per_activity.setdefault(activity_id, []).append(role)
    assert min(map(len, per_activity.values())) >= 1
    assert max(map(len, per_activity.values())) <= 6
    assert len({role for roles in per_activity.values() for role in roles}) >= 5


def test_seeded_search_text_is_what_a_refresh_would_write():
    synthetic.seed(**SIZE, seed=5)
    assert refresh_search_text() == 0


def test_a_seeded_name_with_diacritics_is_found_typed_without_them():
    synthetic.seed(partners=300, activities=10, seed=6)
    partner = Partner.objects.filter(name__contains="žena").first()
    assert partner is not None
    typed = partner.name.replace("ž", "z").replace("Ž", "Z").replace("š", "s").replace("č", "c")
    assert partner in Partner.objects.published().search(typed) or partner.status != "published"


def test_seed_command_refuses_to_seed_twice_without_replace():
    call_command("seed_synthetic", partners=5, activities=20, seed=1)
    with pytest.raises(CommandError, match="--replace"):
        call_command("seed_synthetic", partners=5, activities=20, seed=1)
    call_command("seed_synthetic", partners=5, activities=20, seed=1, replace=True)
    assert Activity.objects.filter(slug__regex=rf"{synthetic.SLUG_MARK}\d+$").count() == 20


def test_indexing_a_chunk_whose_participants_are_over_a_thousand_partners():
    """500 activities (one chunk of the refresh) with 1,500 distinct partners: a foreign-key
    prefetch of their partners would be one ``id = %s OR …`` per partner, past SQLite's limit
    of 1,000 nested expressions (seed_synthetic failed so at 200,000 activities)."""
    partners = Partner.objects.bulk_create(
        Partner(name=f"Chunk partner {i}", slug=f"chunk-partner-{i}", kind="ngo", scope="national")
        for i in range(1500)
    )
    activities = Activity.objects.bulk_create(
        Activity(title=f"Chunk activity {i}", slug=f"chunk-activity-{i}", type="training") for i in range(500)
    )
    Participation.objects.bulk_create(
        Participation(activity=activity, partner=partners[3 * i + k], role="partner")
        for i, activity in enumerate(activities)
        for k in range(3)
    )
    refresh_search_text([Activity])
    activity = Activity.objects.get(slug="chunk-activity-499")
    assert "chunk partner 1499" in activity.search_text  # folded
