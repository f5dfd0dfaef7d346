"""Whole-dataset releases (``wps_portal.releases``, ``build_release``, ``/data/``): the data package
is valid for the frictionless library, the SQLite file opens with its foreign keys intact, the JSON
loads, each holds every published record and relation the API holds (counted both ways, per kind),
no draft reaches any file, and the same data gives the same bytes."""

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from frictionless import Package, validate
from rest_framework.test import APIClient

from activities.models import Activity, Participation
from casestudies.models import CaseStudy, Lesson
from partners.models import Alias, Partner
from wps_portal import releases, services
from wps_portal.languages import BCP47, REVIEWED
from wps_portal.models import Citation, SourceDocument
from wps_portal.translations import TARGET_LANGUAGES

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def build(directory, **kwargs) -> releases.Release:
    return releases.build(directory, **kwargs)


@pytest.fixture(scope="module")
def corpus_release(django_db_setup, django_db_blocker, tmp_path_factory):
    """One release of the corpus (the test database's: ``django_db_setup`` first), shared by the
    read-only tests of this module."""
    with django_db_blocker.unblock():
        return build(tmp_path_factory.mktemp("release") / "corpus")


def file_of(release, kind) -> Path:
    return release.directory / releases.file_names(release.version)[kind]


def unzipped(release, directory: Path) -> Path:
    with zipfile.ZipFile(file_of(release, "package")) as archive:
        archive.extractall(directory)
    return directory / "datapackage.json"


def read_json(release) -> dict:
    return json.loads(file_of(release, "json").read_text(encoding="utf-8"))


# -- the API's side of the round trip: every published record and relation it holds --------------


def api_rows(client, resource, lang=None):
    rows, url = [], f"{API}{resource}/?page_size=500" + (f"&lang={lang}" if lang else "")
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


TRANSLATED_RESOURCES = {"case-studies": "case_studies", "approaches": "approaches", "lessons": "lessons"}


def api_translations() -> set[tuple]:
    """Every translation the API gives, read in each language (``?lang=``): (record kind, key,
    field, BCP 47 tag, text, status) where the text is in that language, not English's."""
    client, found = APIClient(), set()
    for code in TARGET_LANGUAGES:
        for resource, kind in TRANSLATED_RESOURCES.items():
            for row in api_rows(client, resource, lang=code):
                for field, text in row["translations"].items():
                    if text["language"] == code:
                        found.add((kind, row["slug"], field, BCP47[code], row[field], text["status"]))
    return found


def api_counts() -> dict[str, int]:
    client = APIClient()
    lists = {
        name: api_rows(client, name)
        for name in (
            "partners", "countries", "programmes", "phases", "activities", "case-studies", "lessons",
            "approaches", "issue-boxes", "sources",
        )
    }  # fmt: skip

    def nested(resource, field):
        return sum(len(row[field]) for row in lists[resource])

    cited = ("partners", "programmes", "activities", "case-studies", "lessons", "approaches", "issue-boxes")
    return {
        "partners": len(lists["partners"]),
        "countries": len(lists["countries"]),
        "programmes": len(lists["programmes"]),
        "phases": len(lists["phases"]),
        "thematic_areas": nested("programmes", "thematic_areas"),
        "activities": len(lists["activities"]),
        "case_studies": len(lists["case-studies"]),
        "lessons": len(lists["lessons"]),
        "approaches": len(lists["approaches"]),
        "issue_boxes": len(lists["issue-boxes"]),
        "source_documents": len(lists["sources"]),
        "aliases": nested("partners", "aliases"),
        "partner_relations": nested("partners", "relations"),
        "participations": nested("activities", "participants"),
        "activity_countries": nested("activities", "countries"),
        "outputs": nested("activities", "outputs"),
        "programme_countries": nested("programmes", "countries"),
        "case_study_partners": nested("case-studies", "partners"),
        "case_study_approaches": nested("case-studies", "approaches"),
        "case_study_activities": nested("case-studies", "activities"),
        "results": nested("case-studies", "results"),
        "citations": sum(nested(resource, "citations") for resource in cited)
        + sum(len(result["citations"]) for row in lists["case-studies"] for result in row["results"]),
        "translations": len(api_translations()),
    }


def test_the_release_holds_every_published_record_and_relation_the_api_holds(corpus_release, tmp_path):
    expected = api_counts()
    assert set(expected) == {t.name for t in releases.tables()}, "every table is counted against the API"
    package = Package(str(unzipped(corpus_release, tmp_path)))
    in_package = {resource.name: len(resource.read_rows()) for resource in package.resources}
    connection = sqlite3.connect(file_of(corpus_release, "sqlite"))
    in_sqlite = {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in expected
    }
    in_json = {name: len(rows) for name, rows in read_json(corpus_release)["tables"].items()}
    assert in_package == expected
    assert in_sqlite == expected
    assert in_json == expected
    assert min(expected.values()) > 0, "the corpus has rows of every kind"


def test_the_data_package_is_valid_for_frictionless(corpus_release, tmp_path):
    report = validate(str(unzipped(corpus_release, tmp_path)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_finds_a_broken_foreign_key_so_the_validation_is_not_vacuous(corpus_release, tmp_path):
    descriptor = unzipped(corpus_release, tmp_path)
    aliases = tmp_path / "data" / "aliases.csv"
    lines = aliases.read_bytes().split(b"\r\n")
    lines[1] = b"no-such-partner" + lines[1][lines[1].index(b",") :]
    aliases.write_bytes(b"\r\n".join(lines))
    report = validate(str(descriptor))
    assert not report.valid
    assert {"foreign-key"} == {error[0] for error in report.flatten(["type"])}


def test_the_package_declares_keys_licence_sources_and_version(corpus_release):
    package = json.loads(file_of(corpus_release, "datapackage").read_text())
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["version"] == corpus_release.version
    assert package["created"].startswith(corpus_release.date)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert sorted(s["title"] for s in package["sources"]) == sorted(
        SourceDocument.objects.values_list("title", flat=True)
    )
    assert package["contributors"][0]["title"] == "WPS Portal"
    resources = {r["name"]: r for r in package["resources"]}
    participations = resources["participations"]["schema"]
    assert participations["primaryKey"] == ["activity", "partner", "role"]
    assert {"fields": ["partner"], "reference": {"resource": "partners", "fields": ["slug"]}} in (
        participations["foreignKeys"]
    )
    assert "note" in [f["name"] for f in participations["fields"]]
    partner_fields = {f["name"]: f for f in resources["partners"]["schema"]["fields"]}
    assert partner_fields["founded_year"]["type"] == "integer"
    assert {"fields": ["parent"], "reference": {"fields": ["slug"]}} in resources["partners"]["schema"][
        "foreignKeys"
    ], "a self-reference names no resource (Table Schema v2)"
    years = [
        f["name"] for r in package["resources"] for f in r["schema"]["fields"] if f["name"].endswith("year")
    ]
    assert years and all(
        f["type"] == "integer"
        for r in package["resources"]
        for f in r["schema"]["fields"]
        if f["name"] in years
    )


def test_years_read_back_as_integers(corpus_release, tmp_path):
    package = Package(str(unzipped(corpus_release, tmp_path)))
    years = [
        row["founded_year"] for row in package.get_resource("partners").read_rows() if row["founded_year"]
    ]
    assert years and all(type(year) is int for year in years)


def test_the_sqlite_file_keeps_its_foreign_keys_and_indexes(corpus_release):
    connection = sqlite3.connect(file_of(corpus_release, "sqlite"))
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    foreign_keys = connection.execute('PRAGMA foreign_key_list("participations")').fetchall()
    assert {(fk[2], fk[3], fk[4]) for fk in foreign_keys} == {
        ("activities", "activity", "slug"),
        ("partners", "partner", "slug"),
    }
    indexes = {row[1] for row in connection.execute('PRAGMA index_list("participations")')}
    assert "participations_partner" in indexes
    info = dict(connection.execute('SELECT key, value FROM "release"'))
    assert info["version"] == corpus_release.version


def test_every_citation_names_a_record_of_the_release(corpus_release):
    tables = read_json(corpus_release)["tables"]
    keys = {
        table.name: {"/".join(str(row[c]) for c in table.primary_key) for row in tables[table.name]}
        for table in releases.tables()
    }
    for citation in tables["citations"]:
        assert citation["record_key"] in keys[citation["record_kind"]], citation


# -- translations ----------------------------------------------------------------------------------

TRANSLATION_KEY = ("record_kind", "record_key", "field", "language")


def translation_rows(release) -> dict[tuple, dict]:
    return {tuple(r[c] for c in TRANSLATION_KEY): r for r in read_json(release)["tables"]["translations"]}


def test_the_translations_table_holds_every_translation_the_api_gives_with_its_status(corpus_release):
    rows = read_json(corpus_release)["tables"]["translations"]
    released = {tuple(r[c] for c in (*TRANSLATION_KEY, "text", "status")) for r in rows}
    assert released == api_translations()
    keys = [tuple(r[c] for c in TRANSLATION_KEY) for r in rows]
    assert keys == sorted(keys), "rows sorted by key"
    assert {r["language"] for r in rows} == {"sq", "sr-Cyrl", "sr-Latn", "bs"}


def test_an_albanian_case_study_title_is_in_the_translations_table_with_its_status(tmp_path):
    case_study = CaseStudy.objects.published().exclude(title_sq="").first()
    case_study.set_status("sq", "title", REVIEWED)
    case_study.save()
    rows = translation_rows(build(tmp_path / "r"))
    albanian = rows[("case_studies", case_study.slug, "title", "sq")]
    assert albanian["text"] == case_study.title_sq and albanian["status"] == REVIEWED
    summary = rows[("case_studies", case_study.slug, "summary", "sq")]
    assert summary["status"] == case_study.status_of("summary", "sq") == "machine-assisted"
    latin = rows[("case_studies", case_study.slug, "title", "sr-Latn")]
    assert latin["text"] == case_study.title_sr_latn and latin["status"] == case_study.status_of(
        "title", "sr"
    )


def test_a_text_not_yet_translated_has_no_row_and_the_english_text_stays_in_its_table(tmp_path):
    case_study = CaseStudy.objects.published().exclude(title_bs="").first()
    CaseStudy.objects.filter(pk=case_study.pk).update(title_bs="  ")
    release = build(tmp_path / "r")
    rows = translation_rows(release)
    assert ("case_studies", case_study.slug, "title", "bs") not in rows
    assert ("case_studies", case_study.slug, "title", "sq") in rows
    assert "missing" not in {r["status"] for r in rows.values()}
    english = {c["slug"]: c["title"] for c in read_json(release)["tables"]["case_studies"]}
    assert english[case_study.slug] == case_study.title_en


def test_translations_of_unpublished_records_are_in_no_file(tmp_path):
    case_study = CaseStudy.objects.published().exclude(lessons=None).first()
    lesson_slugs = set(Lesson.objects.filter(case_study=case_study).values_list("slug", flat=True))
    CaseStudy.objects.filter(pk=case_study.pk).update(status="draft", title_sq="Zyxwvut titull")
    release = build(tmp_path / "r")
    contents = [file_of(release, kind).read_bytes() for kind in ("sqlite", "json")]
    with zipfile.ZipFile(file_of(release, "package")) as archive:
        contents += [archive.read(name) for name in archive.namelist()]
    assert not [c for c in contents if b"Zyxwvut" in c]
    named = {(kind, key) for kind, key, _field, _language in translation_rows(release)}
    assert ("case_studies", case_study.slug) not in named
    assert lesson_slugs and not {("lessons", slug) for slug in lesson_slugs} & named, "its lessons' neither"


def test_the_translations_table_joins_its_records_in_the_sqlite_file(corpus_release):
    connection = sqlite3.connect(file_of(corpus_release, "sqlite"))
    columns = [row[1] for row in connection.execute('PRAGMA table_info("translations")')]
    assert columns == [*TRANSLATION_KEY, "text", "status"]
    joined = dict(
        connection.execute(
            "SELECT c.slug, t.text FROM translations t JOIN case_studies c ON t.record_key = c.slug "
            "WHERE t.record_kind = 'case_studies' AND t.field = 'title' AND t.language = 'sq'"
        )
    )
    assert joined == dict(CaseStudy.objects.published().exclude(title_sq="").values_list("slug", "title_sq"))
    tables = read_json(corpus_release)["tables"]
    count = connection.execute("SELECT count(*) FROM translations").fetchone()[0]
    assert count == len(tables["translations"]) > 0
    for kind, key in connection.execute("SELECT DISTINCT record_kind, record_key FROM translations"):
        assert key in {row["slug"] for row in tables[kind]}, (kind, key)


def test_the_package_describes_the_translations_table_and_frictionless_checks_its_vocabularies(
    corpus_release, tmp_path
):
    descriptor = unzipped(corpus_release, tmp_path)
    resource = next(r for r in json.loads(descriptor.read_text())["resources"] if r["name"] == "translations")
    schema = resource["schema"]
    assert schema["primaryKey"] == list(TRANSLATION_KEY)
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["language"]["constraints"]["enum"] == ["sq", "sr-Cyrl", "sr-Latn", "bs"]
    assert fields["status"]["constraints"]["enum"] == ["machine-assisted", "reviewed"]
    assert fields["record_kind"]["constraints"]["enum"] == ["approaches", "case_studies", "lessons"]
    assert all(f["description"] and f["constraints"]["required"] for f in fields.values())
    path = tmp_path / "data" / "translations.csv"
    path.write_bytes(path.read_bytes().replace(b",machine-assisted\r\n", b",unchecked\r\n", 1))
    report = validate(str(descriptor))
    assert not report.valid
    assert {("constraint-error", "status")} == set(map(tuple, report.flatten(["type", "fieldName"])))


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    partner = Partner.objects.published().first()
    Alias.objects.create(partner=partner, name='=HYPERLINK("http://evil")')
    release = build(tmp_path / "r")
    with zipfile.ZipFile(file_of(release, "package")) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("data/aliases.csv").decode("utf-8"))))
    assert '\'=HYPERLINK("http://evil")' in [row["name"] for row in rows]
    assert '=HYPERLINK("http://evil")' in [a["name"] for a in read_json(release)["tables"]["aliases"]]


def test_no_draft_reaches_any_file(tmp_path):
    activity = Activity.objects.published().first()
    draft = Partner.objects.create(
        name="Draftonly Zyxwvut Organisation", slug="draftonly-zyxwvut", kind="ngo", scope="national"
    )
    Alias.objects.create(partner=draft, name="Zyxwvut Alias")
    Participation.objects.create(activity=activity, partner=draft, role="implementing", note="Zyxwvut note")
    source = SourceDocument.objects.first()
    Citation.objects.create(record=draft, source=source, excerpt="Zyxwvut excerpt")
    unpublished = Partner.objects.published().exclude(aliases=None).first()
    unpublished_slug = unpublished.slug
    Partner.objects.filter(pk=unpublished.pk).update(status="draft")

    release = build(tmp_path / "r")
    contents = [file_of(release, kind).read_bytes() for kind in ("sqlite", "json", "datapackage")]
    with zipfile.ZipFile(file_of(release, "package")) as archive:
        contents += [archive.read(name) for name in archive.namelist()]
    assert not [c for c in contents if b"Zyxwvut" in c or b"zyxwvut" in c]
    tables = read_json(release)["tables"]
    assert unpublished_slug not in {p["slug"] for p in tables["partners"]}
    referring = [
        (table.name, row)
        for table in releases.tables()
        for row in tables[table.name]
        for column in table.columns
        if column.references == "partners" and row[column.name] == unpublished_slug
    ]
    assert referring == []
    assert unpublished_slug not in {
        c["record_key"] for c in tables["citations"] if c["record_kind"] == "partners"
    }


def test_the_same_data_gives_the_same_bytes(tmp_path):
    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert first.version == second.version
    names = sorted(p.name for p in first.directory.iterdir())
    assert names == sorted(p.name for p in second.directory.iterdir())
    for name in names:
        assert (first.directory / name).read_bytes() == (second.directory / name).read_bytes(), name


def test_a_release_built_for_a_reader_of_another_language_is_the_same_release(tmp_path):
    english = build(tmp_path / "en")
    with translation.override("sq"):  # /sq/data/ builds the release when the data has changed
        albanian = build(tmp_path / "sq")
    assert albanian.version == english.version
    titles = {c["slug"]: c["title"] for c in read_json(albanian)["tables"]["case_studies"]}
    assert titles == dict(CaseStudy.objects.published().values_list("slug", "title_en"))


def test_a_change_of_data_changes_the_version_and_a_date_comes_from_the_data(tmp_path):
    before = build(tmp_path / "a", date="2020-05-01")
    assert before.version.startswith("2020-05-01-")
    partner = Partner.objects.published().first()
    Partner.objects.filter(pk=partner.pk).update(description=partner.description + " Changed.")
    after = build(tmp_path / "b", date="2020-05-01")
    assert after.version != before.version
    latest = max(Partner.objects.published().values_list("updated", flat=True))
    assert build(tmp_path / "c").date >= latest.date().isoformat()


def test_zip_entries_carry_the_release_date_not_the_clock(corpus_release):
    with zipfile.ZipFile(file_of(corpus_release, "package")) as archive:
        stamps = {info.date_time[:3] for info in archive.infolist()}
        names = archive.namelist()
    assert stamps == {tuple(int(part) for part in corpus_release.date.split("-"))}
    assert names[:2] == ["datapackage.json", "CITATION.cff"]


def test_the_command_builds_into_a_folder_and_refuses_a_bad_date(tmp_path):
    out = io.StringIO()
    call_command("build_release", "--output", str(tmp_path / "x"), "--date", "2021-02-03", stdout=out)
    assert "Release 2021-02-03-" in out.getvalue()
    assert (tmp_path / "x" / "SHA256SUMS").is_file()
    with pytest.raises(CommandError, match="--date: '2021-13-40' is not a date"):
        call_command("build_release", "--output", str(tmp_path / "y"), "--date", "2021-13-40")


def test_citation_cff_files_are_valid_cff_and_the_repository_one_is_the_generated_one(corpus_release):
    repository = (Path(settings.BASE_DIR) / "CITATION.cff").read_text()
    assert repository == releases.citation_cff(None, None)
    for text in (repository, file_of(corpus_release, "citation").read_text()):
        cff = yaml.safe_load(text)
        assert cff["cff-version"] == "1.2.0"
        assert cff["message"] and cff["title"] and cff["authors"][0]["name"]
        assert cff["license"] == "CC-BY-4.0"
    release_cff = yaml.safe_load(file_of(corpus_release, "citation").read_text())
    assert release_cff["version"] == corpus_release.version
    assert str(release_cff["date-released"]) == corpus_release.date


# -- /data/ ----------------------------------------------------------------------------------------


@pytest.fixture
def served(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "served"
    return settings.RELEASES_DIR


def test_the_data_page_lists_the_current_release_with_working_downloads_and_checksums(client, served):
    response = client.get("/data/")
    assert response.status_code == 200
    release = releases.current_release()
    page = response.content.decode()
    assert release.version in page
    assert "CC BY 4.0" in page and "participations" in page
    assert 'id="table-translations"' in page and "The translations table holds" in page
    for item in release.files:
        url = f"/data/{release.version}/{item['name']}"
        assert f'href="{url}"' in page
        assert item["sha256"] in page
        download = client.get(url)
        assert download.status_code == 200
        body = b"".join(download.streaming_content)
        assert hashlib.sha256(body).hexdigest() == item["sha256"]
        assert len(body) == item["bytes"]
    sums = b"".join(client.get(f"/data/{release.version}/SHA256SUMS").streaming_content).decode()
    assert sums.splitlines() == [f"{f['sha256']}  {f['name']}" for f in release.files]


def test_a_write_makes_the_data_page_serve_a_new_release_without_the_unpublished_record(
    client, served, django_capture_on_commit_callbacks
):
    before = releases.current_release()
    partner = Partner.objects.published().first()
    with django_capture_on_commit_callbacks(execute=True), services.writing(services.Via.SHELL):
        services.update(Partner.objects.filter(pk=partner.pk), status="draft")
    page = client.get("/data/").content.decode()
    after = releases.current_release()
    assert after.version != before.version and after.version in page
    partners = json.loads(file_of(after, "json").read_text())["tables"]["partners"]
    assert partner.slug not in {p["slug"] for p in partners}
    old = client.get(f"/data/{before.version}/{releases.file_names(before.version)['json']}")
    assert old.status_code == 404
    assert after.version in old.content.decode(), "the 404 names the current release"


def test_unknown_release_files_are_a_helpful_404(client, served):
    release = releases.current_release()
    for name in ("release.json", "..", "wps.sqlite"):
        response = client.get(f"/data/{release.version}/{name}")
        assert response.status_code == 404
        assert "/data/" in response.content.decode()


def test_every_page_links_the_data_page_and_the_api_root_does_too(client):
    for url in ("/", "/partners/", "/sources/"):
        assert 'href="/data/"' in client.get(url).content.decode(), url
    root = APIClient().get(API).json()
    assert root["data"].endswith("/data/")
    assert root["licence"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_tables_cover_every_curated_model():
    modelled = {t.model for t in releases.tables() if t.model is not None and not t.auto_through}
    assert modelled == set(releases.released_models())


def test_the_openapi_schema_states_the_licence():
    schema = APIClient().get(f"{API}schema/", {"format": "json"}).json()
    assert schema["info"]["license"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }


def test_the_data_page_describes_the_release_as_a_schema_org_dataset(client):
    import extruct

    page = client.get("/data/")
    assert page.status_code == 200
    found = extruct.extract(page.content.decode(), base_url="http://testserver/data/", syntaxes=["json-ld"])
    (dataset,) = [item for item in found["json-ld"] if item.get("@type") == "Dataset"]
    release = releases.current_release()
    assert dataset["version"] == release.version
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    downloads = {d["encodingFormat"]: d["contentUrl"] for d in dataset["distribution"]}
    assert {"application/zip", "application/vnd.sqlite3", "application/json"} <= set(downloads)
    for url in downloads.values():
        if "/data/" in url:
            assert client.get(url.removeprefix("http://testserver")).status_code == 200
