"""verify_citations: every excerpt must occur in its document; every public record needs one.

Only the first test needs the real source texts (skipped in a fresh clone, required in CI); the
others run on documents the tests write themselves (the ``written_sources`` fixture).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from partners.models import Partner
from wps_portal.excerpts import occurs_in
from wps_portal.models import Citation, SourceDocument
from wps_portal.provenance import verify_citations

pytestmark = pytest.mark.django_db


@pytest.mark.sources
def test_the_whole_corpus_verifies_against_the_real_sources(sources_dir):
    report = verify_citations(sources_dir)
    assert report.checked > 0
    assert report.failures == [], "\n".join(map(str, report.failures[:20]))


def test_the_corpus_verifies_against_documents_holding_its_excerpts(written_sources):
    report = verify_citations(written_sources)
    assert report.checked == Citation.objects.count() > 0
    assert report.failures == []


def test_a_missing_source_file_is_a_failure_naming_it(written_sources):
    source = SourceDocument.objects.get(key="unwomen-networking-2011")
    (written_sources / source.filename).unlink()
    failures = [str(f) for f in verify_citations(written_sources).failures]
    path = written_sources / source.filename
    assert failures == [
        f"source unwomen-networking-2011: file {path} not found — document unwomen-networking-2011"
    ]


def test_a_wrong_excerpt_fails_and_is_listed(written_sources):
    partner = Partner.objects.published().first()
    Citation.objects.create(
        content_type=ContentType.objects.get_for_model(Partner),
        object_id=partner.pk,
        source=SourceDocument.objects.get(key="unwomen-networking-2011"),
        excerpt="UN Women opened an office on the Moon in 2011",
        section="Nowhere",
    )
    report = verify_citations(written_sources)
    assert len(report.failures) == 1
    failure = str(report.failures[0])
    assert partner.slug in failure and "Moon" in failure and "unwomen-networking-2011" in failure
    with pytest.raises(CommandError, match="1 failures"):
        call_command("verify_citations", "--sources", str(written_sources))


def test_a_published_record_without_citation_fails(written_sources):
    Partner.objects.create(
        name="Uncited Body", slug="uncited-body", kind="ngo", scope="local", status="published"
    )
    report = verify_citations(written_sources)
    assert [str(f) for f in report.failures] == ["partner uncited-body: has no citation"]


def test_a_draft_without_citation_is_not_a_failure(written_sources):
    Partner.objects.create(name="Draft Body", slug="draft-body", kind="ngo", scope="local")
    assert verify_citations(written_sources).failures == []


@pytest.mark.parametrize(
    "excerpt",
    [
        "Kosovo Women’s Network",  # curly apostrophe where the source may have a straight one
        "Kosovo   Women's\nNetwork",  # whitespace differences
    ],
)
def test_matching_ignores_quotes_and_whitespace(excerpt):
    assert occurs_in(excerpt, "the Kosovo Women's Network (KWN)")


def test_matching_ignores_dash_kinds():
    assert occurs_in("Phase I – three years", "Phase I - three years")


def test_a_replacement_character_in_the_source_matches_any_letter():
    assert occurs_in("NGO Žene Ženama", "NGO \ufffdene \ufffdenama")
    assert not occurs_in("NGO Žene Ženama!", "NGO \ufffdene \ufffdenama")


def test_matching_is_not_fooled_by_a_different_text():
    assert not occurs_in("Kosovo Women's Lobby", "the Kosovo Women's Network (KWN)")


def test_checking_one_fixture_file_reads_the_sources_folder_it_is_given(tmp_path, capsys):
    """`python -m wps_portal.excerpts FILE --sources DIR`: an author checks a file before loading."""
    from wps_portal.excerpts import main

    (tmp_path / "unifem-1325-programme-2005-2011.txt").write_text(
        "Intro. The programme trained police officers in Kosovo. End.", encoding="utf-8"
    )
    fixture = tmp_path / "draft.yaml"
    fixture.write_text(
        "slug: x\ncitations:\n"
        "  - {source: unifem-1325-see, excerpt: trained police officers}\n"
        "  - {source: unifem-1325-see, excerpt: words the document never says}\n",
        encoding="utf-8",
    )
    assert main([str(fixture), "--sources", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "words the document never says" in out and "2 citations checked, 1 problems" in out
    assert main([str(fixture), "--sources", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().out
