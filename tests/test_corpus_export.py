"""export_corpus: the whole knowledge base back in the fixtures' format, so a curator's work can be
reviewed as a diff and committed; export → load into an empty database → export is byte-identical."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from partners.models import Alias, Partner
from wps_portal import services
from wps_portal.corpus import CorpusLoader, export_corpus, load_corpus, registered_kinds
from wps_portal.models import Citation, LoadedRecord

pytestmark = pytest.mark.django_db


def files(directory: Path) -> dict[str, bytes]:
    """The record files of a corpus folder. fixtures/search/ is the search thesaurus: reviewable data
    read by the search engine, not registry records, so no export writes it (fixtures/README.md)."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*.yaml"))
        if p.relative_to(directory).parts[0] != "search"
    }


def parsed(path: Path):
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=CorpusLoader)  # noqa: S506 (a SafeLoader)


def empty_the_registry():
    Citation.objects.all().delete()
    LoadedRecord.objects.all().delete()
    for spec in reversed(registered_kinds()):
        spec.model_class._default_manager.all().delete()


def test_export_load_into_an_empty_database_creates_every_record_export_is_byte_identical(tmp_path):
    with services.writing(services.Via.ADMIN):  # a draft and a curator's alias travel too
        partner = Partner.objects.get(slug="kosovo-womens-network")
        partner.status = "draft"
        services.save(partner)
        services.save(Alias(partner=partner, name="Mreža žena Kosova", kind="local"))
    first, second = tmp_path / "first", tmp_path / "second"
    export_corpus(first)
    empty_the_registry()
    assert not Partner.objects.exists()
    report = load_corpus(first)
    # Every record is new, its translations included: nothing is reported as updated.
    assert (report.updated_fields, report.kept, report.overwritten) == ([], [], [])
    assert len(report.created_records) > 500
    export_corpus(second)
    assert files(first) == files(second)
    assert Partner.objects.get(slug="kosovo-womens-network").status == "draft"


def relation_statements(directory: Path) -> set:
    statements = set()
    for path in directory.glob("partners/*.yaml"):
        for partner in parsed(path) or []:
            for relation in partner.get("relations") or []:
                statements.add((partner["slug"], relation["type"], relation["target"]))
    for path in directory.glob("relations/*.yaml"):
        for relation in parsed(path) or []:
            statements.add((relation["source"], relation["type"], relation["target"]))
    return statements


def without_documented_differences(path: Path, data):
    """The fixtures as the export writes them (fixtures/README.md, "Export"): a partner's alias
    equal to its own name or acronym is not kept; relations are compared apart."""
    if not isinstance(data, list):
        return data
    for record in data:
        if path.parts[-2:-1] == ("partners",):
            own = {record.get("name"), record.get("acronym")}
            aliases = [a for a in record.get("aliases") or [] if a["name"] not in own]
            if aliases:
                record["aliases"] = aliases
            else:
                record.pop("aliases", None)
            record.pop("relations", None)
    return data


def test_exporting_the_loaded_corpus_reproduces_the_fixtures(tmp_path):
    export_corpus(tmp_path)
    fixtures = Path(settings.CORPUS_DIR)
    assert set(files(tmp_path)) == set(files(fixtures))
    for name in files(fixtures):
        if name.startswith("relations/"):
            continue
        expected = without_documented_differences(fixtures / name, parsed(fixtures / name))
        actual = without_documented_differences(tmp_path / name, parsed(tmp_path / name))
        assert actual == expected, name
    # Every link the fixtures state is exported, once.
    assert relation_statements(tmp_path) == relation_statements(fixtures)


def test_a_curators_work_is_in_the_export_and_loading_it_back_reports_nothing(tmp_path):
    with services.writing(services.Via.ADMIN):
        partner = Partner.objects.get(slug="kosovo-womens-network")
        partner.description += " A curator added this sentence."
        services.save(partner)
        services.save(Partner(slug="added-by-curator", name="Added by a curator", kind="ngo", scope="local"))
    out = io.StringIO()
    call_command("export_corpus", str(tmp_path), stdout=out)
    assert "Exported" in out.getvalue()
    kosovo = {r["slug"]: r for r in parsed(tmp_path / "partners/kosovo.yaml")}
    assert kosovo["kosovo-womens-network"]["description"].endswith("A curator added this sentence.")
    added = parsed(tmp_path / "partners/added-in-the-registry.yaml")
    assert added == [
        {
            "slug": "added-by-curator",
            "name": "Added by a curator",
            "kind": "ngo",
            "scope": "local",
            "status": "draft",
            "last_verified": None,  # never verified, unlike the corpus-wide date
        }
    ]
    report = load_corpus(tmp_path)  # the export committed back as the fixtures
    assert not (report.kept or report.created_records or report.missing or report.database_only)
    assert report.changed == 0


def test_export_removes_corpus_files_that_no_longer_hold_records(tmp_path):
    stale = tmp_path / "partners" / "gone.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("- {slug: gone, name: Gone, kind: ngo, scope: local}\n")
    (tmp_path / "README.md").write_text("kept")
    report = export_corpus(tmp_path)
    assert not stale.exists() and "partners/gone.yaml" in report.removed
    assert (tmp_path / "README.md").read_text() == "kept"
