"""Shared fixtures: the test database holds the whole corpus, loaded once per run."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from wps_portal.corpus import load_corpus
from wps_portal.models import SourceDocument


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_corpus(settings.CORPUS_DIR)


@pytest.fixture
def sources_dir():
    """The real source texts. They live beside the checkout (../shared/sources), not in the
    repository, so a fresh clone skips the tests that need them; CI sets REQUIRE_SOURCES=1."""
    directory = Path(settings.SOURCES_DIR)
    missing = [
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
    for source in SourceDocument.objects.prefetch_related("citations"):
        excerpts = [citation.excerpt for citation in source.citations.all()]
        (tmp_path / source.filename).write_text(
            "Preamble.\n" + "\nAnd then: ".join(excerpts) + "\nThe end.\n", encoding="utf-8"
        )
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_cache():
    """Counts are cached across requests (wps_portal.cache); each test starts from an empty cache,
    since its writes roll back without committing (and so without invalidating)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
