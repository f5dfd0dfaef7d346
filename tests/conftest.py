"""Shared fixtures: the test database holds the whole corpus, loaded once per run."""

import os
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from wps_portal.corpus import CorpusLoader, load_corpus
from wps_portal.models import SourceDocument

# The real source texts live beside the checkout (../shared/sources), not in the repository. In a
# clone without them the session reads stand-ins instead (see stand_in_sources), so citations are
# still checked at the door; tests of the real texts (the sources_dir fixture) skip, or fail when
# REQUIRE_SOURCES=1, which CI sets.
STAND_INS: list[str] = []  # the files replaced by stand-ins in this session
REAL_SOURCES_DIR: list[Path] = []  # where they were looked for


def missing_real_sources() -> list[str]:
    directory = Path(settings.SOURCES_DIR)
    data = yaml.safe_load((Path(settings.CORPUS_DIR) / "sources.yaml").read_text(encoding="utf-8"))
    return [source["filename"] for source in data if not (directory / source["filename"]).is_file()]


def stand_in_sources(directory: Path) -> Path:
    """Texts written from the corpus's own excerpts (each document holds the excerpts that cite
    it, between other words), for a session without the real texts."""
    corpus = Path(settings.CORPUS_DIR)
    filenames = {
        source["key"]: source["filename"]
        for source in yaml.safe_load((corpus / "sources.yaml").read_text(encoding="utf-8"))
    }
    excerpts: dict[str, list[str]] = {key: [] for key in filenames}

    def collect(node):
        if isinstance(node, dict):
            if node.get("source") in filenames and node.get("excerpt"):
                excerpts[node["source"]].append(str(node["excerpt"]).strip())
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for path in sorted(corpus.rglob("*.yaml")):
        collect(yaml.load(path.read_text(encoding="utf-8"), Loader=CorpusLoader))  # noqa: S506 (safe)
    return write_texts(directory, {filenames[key]: found for key, found in excerpts.items()})


def write_texts(directory: Path, excerpts_by_filename: dict[str, list[str]]) -> Path:
    """Each document holds the given excerpts, between other words."""
    for filename, excerpts in excerpts_by_filename.items():
        text = "Preamble.\n" + "\nAnd then: ".join(excerpts) + "\nThe end.\n"
        (directory / filename).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    missing = missing_real_sources()
    if missing and os.environ.get("REQUIRE_SOURCES") != "1":
        STAND_INS.extend(missing)
        REAL_SOURCES_DIR.append(Path(settings.SOURCES_DIR))
        settings.SOURCES_DIR = stand_in_sources(tmp_path_factory.mktemp("stand-in-sources"))
    with django_db_blocker.unblock():
        load_corpus(settings.CORPUS_DIR)


@pytest.fixture
def sources_dir():
    """The real source texts; see STAND_INS."""
    directory = REAL_SOURCES_DIR[0] if STAND_INS else Path(settings.SOURCES_DIR)
    missing = STAND_INS or [
        source.filename
        for source in SourceDocument.objects.all()
        if not (directory / source.filename).is_file()
    ]
    if missing:
        reason = f"the source texts are not in SOURCES_DIR={directory} (missing {', '.join(missing)})"
        if os.environ.get("REQUIRE_SOURCES") == "1":
            pytest.fail(f"REQUIRE_SOURCES=1 but {reason}")
        pytest.skip(f"{reason}; set SOURCES_DIR, or REQUIRE_SOURCES=1 to make this a failure")
    return directory


@pytest.fixture
def written_sources(tmp_path):
    """A sources folder the test writes itself: each document holds its citations' excerpts,
    between other words, so the corpus verifies without the real texts."""
    return write_texts(
        tmp_path,
        {
            source.filename: [citation.excerpt for citation in source.citations.all()]
            for source in SourceDocument.objects.prefetch_related("citations")
        },
    )


@pytest.fixture(scope="session", autouse=True)
def releases_dir(tmp_path_factory):
    """Releases /data/ builds go to a folder of the session, not the checkout's releases/."""
    settings.RELEASES_DIR = tmp_path_factory.mktemp("releases")
    return settings.RELEASES_DIR


@pytest.fixture(autouse=True)
def fresh_cache():
    """Counts are cached across requests (wps_portal.cache); each test starts from an empty cache,
    since its writes roll back without committing (and so without invalidating)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request in another language leaves it active in the thread (LocaleMiddleware activates,
    nothing deactivates): each test starts and ends in English, as a request without a prefix does."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
