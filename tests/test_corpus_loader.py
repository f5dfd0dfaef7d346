"""The corpus loader: one transaction, idempotent, and errors that name file, record and field."""

import shutil
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import Activity
from partners.models import Partner
from wps_portal.corpus import CorpusError, load_corpus
from wps_portal.models import Citation

pytestmark = pytest.mark.django_db

EXCERPT = "The KWN was established in 2000 as an informal network of women"


def write(directory: Path, relative: str, content: str) -> None:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture
def mini_corpus(tmp_path):
    """A small valid corpus: the real sources, one country, two partners, one activity."""
    shutil.copy(Path(settings.CORPUS_DIR) / "sources.yaml", tmp_path / "sources.yaml")
    write(tmp_path, "countries.yaml", "- {code: QZ, name: Testland, region: Nowhere}\n")
    write(
        tmp_path,
        "partners/test.yaml",
        f"""\
        - slug: test-womens-network
          name: Test Women's Network
          acronym: TWN
          aliases: [{{name: Test Womens Network, kind: spelling}}]
          kind: network
          scope: national
          country: QZ
          description: A network used by the loader tests.
          citations:
            - {{source: unifem-1325-see, section: D. Civil Society, excerpt: "{EXCERPT}"}}
        - slug: test-member-ngo
          name: Test Member NGO
          kind: womens-ngo
          scope: local
          country: QZ
          relations: [{{type: member-of, target: test-womens-network, start_year: 2001}}]
          citations:
            - {{source: unifem-1325-see, section: D. Civil Society, excerpt: "{EXCERPT}"}}
        """,
    )
    write(
        tmp_path,
        "activities/test.yaml",
        f"""\
        - slug: test-launch
          title: Test launch
          type: conference
          start: "2010-06"
          location: Testville
          countries: [QZ]
          participants: [{{partner: test-womens-network, role: implementing}}]
          outputs: [{{quantity: 90, unit: delegates}}]
          citations:
            - {{source: unifem-1325-see, section: D. Civil Society, excerpt: "{EXCERPT}"}}
        """,
    )
    return tmp_path


def snapshot():
    return (
        sorted(Partner.objects.values_list("slug", "name", "updated")),
        sorted(Activity.objects.values_list("slug", "start_date", "start_precision", "updated")),
        Citation.objects.count(),
    )


def test_loading_twice_changes_nothing(mini_corpus):
    first = load_corpus(mini_corpus)
    assert first.created > 0
    before = snapshot()
    second = load_corpus(mini_corpus)
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert snapshot() == before


def test_loaded_records_keep_their_relations_and_precision(mini_corpus):
    load_corpus(mini_corpus)
    activity = Activity.objects.get(slug="test-launch")
    assert activity.start == "2010-06"
    assert activity.dates_display == "June 2010"
    assert activity.participations.get().partner.slug == "test-womens-network"
    assert str(activity.outputs.get()) == "90 delegates"
    member = Partner.objects.get(slug="test-member-ngo")
    assert member.relations_from.get().target.slug == "test-womens-network"
    assert member.status == "published"
    assert "test womens network" in Partner.objects.get(slug="test-womens-network").search_text


def test_a_bad_record_rolls_back_the_whole_load(mini_corpus):
    load_corpus(mini_corpus)
    before = snapshot()
    # A valid change early in the corpus, a bad value late: neither may stick.
    partners = (
        (mini_corpus / "partners/test.yaml").read_text().replace("name: Test Member NGO", "name: Renamed NGO")
    )
    (mini_corpus / "partners/test.yaml").write_text(partners)
    activities = (
        (mini_corpus / "activities/test.yaml").read_text().replace("role: implementing", "role: sponsor")
    )
    (mini_corpus / "activities/test.yaml").write_text(activities)
    with pytest.raises(CorpusError) as error:
        load_corpus(mini_corpus)
    assert error.value.file == "activities/test.yaml"
    assert error.value.record == "slug=test-launch"
    assert error.value.field == "participants[0].role"
    assert snapshot() == before
    assert not Partner.objects.filter(name="Renamed NGO").exists()


def test_unknown_field_is_named(mini_corpus):
    write(
        mini_corpus, "activities/zz-bad.yaml", "- {slug: bad-one, title: Bad, type: workshop, colour: red}\n"
    )
    with pytest.raises(CorpusError) as error:
        load_corpus(mini_corpus)
    assert (error.value.file, error.value.record, error.value.field) == (
        "activities/zz-bad.yaml",
        "slug=bad-one",
        "colour",
    )


def test_unknown_reference_is_named(mini_corpus):
    write(
        mini_corpus,
        "activities/zz-bad.yaml",
        "- {slug: bad-ref, title: Bad, type: workshop, participants: [{partner: nobody, role: partner}]}\n",
    )
    with pytest.raises(CorpusError, match="nobody") as error:
        load_corpus(mini_corpus)
    assert error.value.field == "participants[0].partner"


def test_malformed_date_is_named(mini_corpus):
    write(
        mini_corpus,
        "activities/zz-bad.yaml",
        '- {slug: bad-date, title: Bad, type: workshop, start: "June 2010"}\n',
    )
    with pytest.raises(CorpusError) as error:
        load_corpus(mini_corpus)
    assert error.value.field == "start"


def test_duplicate_slug_across_files_is_refused(mini_corpus):
    write(
        mini_corpus,
        "partners/zz-again.yaml",
        "- {slug: test-member-ngo, name: Again, kind: ngo, scope: local}\n",
    )
    with pytest.raises(CorpusError, match="duplicate partner"):
        load_corpus(mini_corpus)


def test_invalid_yaml_names_the_file(mini_corpus):
    write(mini_corpus, "partners/zz-broken.yaml", "- slug: [unclosed\n")
    with pytest.raises(CorpusError) as error:
        load_corpus(mini_corpus)
    assert error.value.file == "partners/zz-broken.yaml"


def test_removed_child_rows_are_removed_on_reload(mini_corpus):
    load_corpus(mini_corpus)
    activities = (
        (mini_corpus / "activities/test.yaml")
        .read_text()
        .replace("outputs: [{quantity: 90, unit: delegates}]", "outputs: []")
    )
    (mini_corpus / "activities/test.yaml").write_text(activities)
    load_corpus(mini_corpus)
    assert not Activity.objects.get(slug="test-launch").outputs.exists()


def test_command_exits_nonzero_naming_file_record_and_field(mini_corpus):
    write(mini_corpus, "activities/zz-bad.yaml", "- {slug: bad-type, title: Bad, type: party}\n")
    with pytest.raises(CommandError) as error:
        call_command("load_corpus", str(mini_corpus))
    message = str(error.value)
    assert "activities/zz-bad.yaml" in message and "slug=bad-type" in message and "'type'" in message


def test_command_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_corpus", str(tmp_path / "nowhere"))


def test_a_link_stated_twice_is_one_link_and_reloading_keeps_it_still(mini_corpus):
    write(
        mini_corpus,
        "relations/extra.yaml",
        "- {source: test-member-ngo, type: member-of, target: test-womens-network, note: stated again}\n",
    )
    load_corpus(mini_corpus)
    relation = Partner.objects.get(slug="test-member-ngo").relations_from.get()
    assert (relation.start_year, relation.note) == (2001, "stated again")
    second = load_corpus(mini_corpus)
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)


def test_a_link_no_longer_stated_is_reported_and_removed_only_on_request(mini_corpus):
    load_corpus(mini_corpus)
    partners = (
        (mini_corpus / "partners/test.yaml")
        .read_text()
        .replace(
            "relations: [{type: member-of, target: test-womens-network, start_year: 2001}]", "relations: []"
        )
    )
    (mini_corpus / "partners/test.yaml").write_text(partners)
    report = load_corpus(mini_corpus)
    assert Partner.objects.get(slug="test-member-ngo").relations_from.exists()
    assert any("test-member-ngo member-of test-womens-network" in line for line in report.missing)
    report = load_corpus(mini_corpus, unpublish_missing=True)
    assert not Partner.objects.get(slug="test-member-ngo").relations_from.exists()
    assert any("test-member-ngo member-of test-womens-network" in line for line in report.unpublished)


def test_records_take_the_corpus_wide_last_verified_date(mini_corpus):
    write(mini_corpus, "corpus.yaml", "last_verified: 2026-11-23\n")
    load_corpus(mini_corpus)
    assert str(Partner.objects.get(slug="test-womens-network").last_verified) == "2026-11-23"


def test_a_bad_corpus_setting_is_named(mini_corpus):
    write(mini_corpus, "corpus.yaml", "last_verified: yesterday\n")
    with pytest.raises(CorpusError) as error:
        load_corpus(mini_corpus)
    assert (error.value.file, error.value.field) == ("corpus.yaml", "last_verified")
