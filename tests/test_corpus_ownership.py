"""Who owns a record: a curator's edits survive every load, and what differs is reported.

The rule (README, "Who owns the data"): new fixture records are created; a field nobody edited
since the last load follows the fixtures; a field a curator changed is kept and reported unless
--overwrite; records the fixtures no longer state are reported by name; a subset load deletes
nothing that other files state.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from activities.models import Activity
from partners.models import Alias, Partner, PartnerRelation
from wps_portal import services
from wps_portal.corpus import load_corpus
from wps_portal.models import LoadedRecord

from .test_corpus_loader import mini_corpus, write  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

KWN = "kosovo-womens-network"
CURATED_SENTENCE = " A curator added this sentence."


def curate_kwn():
    """What a curator does in the admin: a sentence added to a description, an alias added."""
    with services.writing(services.Via.ADMIN, reason="curation"):
        partner = Partner.objects.get(slug=KWN)
        partner.description += CURATED_SENTENCE
        services.save(partner)
        services.save(Alias(partner=partner, name="Mreža žena Kosova", kind="local"))
    return partner


def load_command(*args) -> str:
    out = io.StringIO()
    call_command("load_corpus", *args, stdout=out)
    return out.getvalue()


def test_a_curators_edit_and_alias_survive_a_plain_load_and_are_named():
    curate_kwn()
    output = load_command()  # what `make run` runs
    partner = Partner.objects.get(slug=KWN)
    assert partner.description.endswith(CURATED_SENTENCE)
    assert partner.aliases.filter(name="Mreža žena Kosova").exists()
    assert f"partner {KWN}: description" in output
    assert f"partner {KWN}: aliases (database only: 'Mreža žena Kosova')" in output
    assert "with curators' changes kept" in output
    # and again: the next load keeps them and says so again
    assert f"partner {KWN}: aliases" in load_command()
    assert Partner.objects.get(slug=KWN).aliases.filter(name="Mreža žena Kosova").exists()


def test_overwrite_replaces_a_curators_edit_and_says_so():
    curate_kwn()
    report = load_corpus(settings.CORPUS_DIR, overwrite=True)
    partner = Partner.objects.get(slug=KWN)
    assert not partner.description.endswith(CURATED_SENTENCE)
    assert not partner.aliases.filter(name="Mreža žena Kosova").exists()
    assert {(d.label, d.field) for d in report.overwritten} == {(KWN, "description"), (KWN, "aliases")}
    assert "Overwrote a curator's change" in str(report)
    assert "mreza" not in partner.search_text


def copy_corpus(tmp_path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(settings.CORPUS_DIR, target)
    return target


def test_a_field_nobody_edited_follows_the_fixtures_while_an_edited_one_is_kept(tmp_path):
    curate_kwn()
    corpus = copy_corpus(tmp_path)
    path = corpus / "partners/kosovo.yaml"
    path.write_text(path.read_text().replace("founded_year: 2000", "founded_year: 1999", 1))
    report = load_corpus(corpus)
    partner = Partner.objects.get(slug=KWN)
    assert partner.founded_year == 1999
    assert partner.description.endswith(CURATED_SENTENCE)
    assert [(d.label, d.field) for d in report.updated_fields] == [(KWN, "founded_year")]
    assert {(d.label, d.field) for d in report.kept} == {(KWN, "description"), (KWN, "aliases")}


def snapshot():
    return (
        sorted(
            Partner.objects.values_list("slug", "name", "description", "founded_year", "status", "updated")
        ),
        sorted(Alias.objects.values_list("partner__slug", "name", "kind")),
        sorted(
            PartnerRelation.objects.values_list("source__slug", "type", "target__slug", "note", "updated")
        ),
        sorted(Activity.objects.values_list("slug", "title", "updated")),
        sorted(LoadedRecord.objects.values_list("kind", "key", "file", "position", "values")),
    )


def test_dry_run_reports_the_same_and_changes_nothing(tmp_path):
    curate_kwn()
    corpus = copy_corpus(tmp_path)
    path = corpus / "partners/kosovo.yaml"
    path.write_text(path.read_text().replace("founded_year: 2000", "founded_year: 1999", 1))
    before = snapshot()
    output = load_command(str(corpus), "--dry-run", "--overwrite")
    assert output.startswith("Dry run, nothing changed")
    assert f"partner {KWN}: founded_year (database 2000, fixtures 1999)" in output
    assert f"partner {KWN}: description" in output
    assert snapshot() == before


def test_a_second_load_of_the_whole_corpus_changes_nothing_not_even_timestamps():
    before = snapshot()
    report = load_corpus(settings.CORPUS_DIR)
    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert not (report.kept or report.missing or report.created_records or report.updated_fields)
    assert snapshot() == before


def test_loading_only_the_partner_files_deletes_nothing_other_files_state(tmp_path):
    relations = PartnerRelation.objects.count()
    subset = tmp_path / "subset"
    (subset / "partners").mkdir(parents=True)
    for name in ("sources.yaml", "countries.yaml", "corpus.yaml"):
        shutil.copy(Path(settings.CORPUS_DIR) / name, subset / name)
    for path in Path(settings.CORPUS_DIR, "partners").glob("*.yaml"):
        shutil.copy(path, subset / "partners" / path.name)
    before = snapshot()
    report = load_corpus(subset)
    assert PartnerRelation.objects.count() == relations
    assert report.deleted == 0 and not report.missing
    assert snapshot() == before


def test_a_record_removed_from_the_fixtures_is_reported_by_name_and_kept(tmp_path):
    corpus = copy_corpus(tmp_path)
    path = corpus / "partners/kosovo.yaml"
    text = path.read_text()
    start = text.index(f"- slug: {KWN}\n")
    end = text.index("\n- slug:", start + 1) + 1
    path.write_text(text[:start] + text[end:])
    output = load_command(str(corpus))
    assert f"partner {KWN} (published; last loaded from partners/kosovo.yaml)" in output
    assert Partner.objects.get(slug=KWN).status == "published"
    load_command(str(corpus), "--unpublish-missing")
    assert Partner.objects.get(slug=KWN).status == "draft"
    assert Partner.objects.published().filter(slug=KWN).count() == 0


def test_a_deleted_fixture_file_is_reported_record_by_record(tmp_path):
    corpus = copy_corpus(tmp_path)
    (corpus / "partners/serbia.yaml").unlink()
    report = load_corpus(corpus)
    # its five partners, and the link stated on one of them
    assert len(report.missing) == 6
    assert all("last loaded from partners/serbia.yaml" in line for line in report.missing)
    assert any("partner women-in-black " in line for line in report.missing)
    assert any(
        "relation women-in-black co-founded womens-peace-coalition " in line for line in report.missing
    )
    assert Partner.objects.get(slug="women-in-black").status == "published"


def test_a_record_a_curator_deleted_is_not_recreated(mini_corpus):  # noqa: F811
    load_corpus(mini_corpus)
    with services.writing(services.Via.ADMIN):
        services.delete(Partner.objects.get(slug="test-member-ngo"))
    report = load_corpus(mini_corpus)
    assert not Partner.objects.filter(slug="test-member-ngo").exists()
    assert report.not_recreated == [  # the link went with it
        "partner test-member-ngo",
        "relation test-member-ngo member-of test-womens-network",
    ]
    load_corpus(mini_corpus, overwrite=True)
    assert Partner.objects.filter(slug="test-member-ngo").exists()


def test_a_record_a_curator_added_is_reported_as_in_the_database_only(mini_corpus):  # noqa: F811
    load_corpus(mini_corpus)
    with services.writing(services.Via.ADMIN):
        services.save(
            Partner(slug="added-by-curator", name="Added", kind="ngo", scope="local", status="draft")
        )
    report = load_corpus(mini_corpus)
    assert "partner added-by-curator" in report.database_only
    assert Partner.objects.filter(slug="added-by-curator").exists()


def test_a_report_of_many_records_names_some_and_counts_the_rest(mini_corpus):  # noqa: F811
    """A registry seeded with thousands of records gets a report of a few lines, not megabytes."""
    from wps_portal.corpus import REPORT_RECORDS, REPORT_ROWS

    load_corpus(mini_corpus)
    partner = Partner.objects.get(slug="test-member-ngo")
    with services.writing(services.Via.ADMIN):
        for n in range(REPORT_RECORDS + 7):
            services.save(Partner(slug=f"added-{n:03d}", name=f"Added {n}", kind="ngo", scope="local"))
        for n in range(REPORT_ROWS + 3):
            services.save(Alias(partner=partner, name=f"Alias {n:02d}", kind="local"))
    lines = str(load_corpus(mini_corpus)).splitlines()
    start = lines.index("In the database only (added by curators; `export_corpus` writes them out):")
    listed = [line for line in lines[start + 1 :] if line.startswith("  partner added-")]
    assert len(listed) == REPORT_RECORDS
    assert "  … and 7 more" in lines
    aliases = next(line for line in lines if line.startswith("  partner test-member-ngo: aliases"))
    assert aliases.count("database only:") == REPORT_ROWS and aliases.endswith("… and 3 more)")


@pytest.mark.parametrize(
    "record, field, message",
    [
        ('{slug: bad, title: Bad, type: workshop, start: "2011-13"}', "start", "not a date"),
        ("{slug: bad, title: Bad, type: workshop, start: 2011-13-01}", "start", "not a date"),
        ("{slug: bad, title: [a, list], type: workshop}", "title", "must be text, not a list"),
        ("{slug: bad, title: {a: mapping}, type: workshop}", "title", "must be text, not a mapping"),
        ("{slug: bad, title: yes, type: workshop}", "title", "must be text, not true/false"),
        ("{slug: bad, title: Bad, type: workshop, colour: red}", "colour", "unknown field"),
        ("{slug: bad, title: Bad, type: workshop, last_verified: 2026-02-30}", "last_verified", "not a date"),
        (
            "{slug: bad, title: Bad, type: workshop, outputs: [{quantity: many, unit: x}]}",
            "outputs[0].quantity",
            "whole number",
        ),
        ("{slug: bad, title: Bad, type: workshop, countries: QZ}", "countries", "must be a list"),
        (
            "{slug: bad, title: Bad, type: workshop, participants: [{partner: [x], role: partner}]}",
            "participants[0].partner",
            "must be text",
        ),
    ],
)
def test_a_bad_value_is_named_and_rolls_back_the_whole_load(mini_corpus, record, field, message):  # noqa: F811
    load_corpus(mini_corpus)
    before = snapshot()
    partners = (mini_corpus / "partners/test.yaml").read_text()
    (mini_corpus / "partners/test.yaml").write_text(
        partners.replace("name: Test Member NGO", "name: Renamed")
    )
    write(mini_corpus, "activities/zz-bad.yaml", f"- {record}\n")
    output = io.StringIO()
    with pytest.raises(Exception) as error:
        call_command("load_corpus", str(mini_corpus), stdout=output)
    assert type(error.value).__name__ == "CommandError"
    text = str(error.value)
    assert "activities/zz-bad.yaml" in text and "record slug=bad" in text, text
    assert f"field {field!r}" in text and message in text, text
    assert snapshot() == before


def test_a_number_where_text_belongs_is_taken_as_text(mini_corpus):  # noqa: F811
    write(mini_corpus, "activities/zz-number.yaml", "- {slug: numbered, title: 1325, type: workshop}\n")
    load_corpus(mini_corpus)
    assert Activity.objects.get(slug="numbered").title == "1325"


def test_the_loader_writes_through_the_write_path_as_the_loader(mini_corpus, monkeypatch):  # noqa: F811
    seen = []
    original = services.save

    def spy(instance, **kwargs):
        seen.append(services.current().via)
        return original(instance, **kwargs)

    monkeypatch.setattr(services, "save", spy)
    load_corpus(mini_corpus)
    assert seen and set(seen) == {services.Via.LOADER}


def test_a_record_with_no_load_record_counts_as_curated_where_it_differs(tmp_path):
    """A database loaded before the rule existed, or a record made in the admin with a fixture's
    slug: the loader cannot tell who wrote it, so it keeps the database's values and says so."""
    LoadedRecord.objects.filter(kind="partner", key=KWN).delete()
    corpus = copy_corpus(tmp_path)
    path = corpus / "partners/kosovo.yaml"
    path.write_text(path.read_text().replace("founded_year: 2000", "founded_year: 1999", 1))
    report = load_corpus(corpus)
    assert Partner.objects.get(slug=KWN).founded_year == 2000
    assert [(d.label, d.field) for d in report.kept] == [(KWN, "founded_year")]
    assert LoadedRecord.objects.filter(kind="partner", key=KWN).exists()  # from now on, it can tell


@pytest.mark.parametrize(("in_database", "follows_fixtures"), [(None, True), (1990, False)])
def test_a_field_added_since_the_last_load_follows_the_fixtures_unless_a_curator_filled_it(
    in_database, follows_fixtures
):
    """A new field (a migration added it after the last load): the last load's record does not
    know it. Left empty, nobody edited it; filled in, a curator did."""
    state = LoadedRecord.objects.get(kind="partner", key=KWN)
    state.values.pop("founded_year")
    state.save()
    Partner.objects.filter(slug=KWN).update(founded_year=in_database)
    report = load_corpus(Path(settings.CORPUS_DIR))
    founded = Partner.objects.get(slug=KWN).founded_year
    assert founded == (2000 if follows_fixtures else 1990)
    changed = {(d.label, d.field) for d in (report.updated_fields if follows_fixtures else report.kept)}
    assert (KWN, "founded_year") in changed
