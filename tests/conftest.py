"""Shared fixtures: the test database holds the whole corpus, loaded once per run."""

import pytest
from django.conf import settings

from wps_portal.corpus import load_corpus


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_corpus(settings.CORPUS_DIR)


@pytest.fixture
def sources_dir():
    return settings.SOURCES_DIR


@pytest.fixture(autouse=True)
def fresh_cache():
    """Counts are cached across requests (wps_portal.cache); each test starts from an empty cache,
    since its writes roll back without committing (and so without invalidating)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
