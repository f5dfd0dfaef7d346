"""Static files in production: a real collectstatic writes hashed names and a manifest; pages link
the hashed names and whitenoise serves them with far-future caching."""

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
TEN_YEARS = 10 * 365 * 24 * 60 * 60


def test_production_settings_choose_the_manifest_storage():
    # Read in a fresh process: DEBUG off with nothing else set must mean hashed static files,
    # whether or not a collectstatic ever ran.
    from tests.test_production_settings import A_PRODUCTION_KEY, run_django

    code = "from django.conf import settings as s; print(s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS)"
    result = run_django("shell", "--no-imports", "-c", code, SECRET_KEY=A_PRODUCTION_KEY)
    assert result.stdout.split() == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "False"]
    debug = run_django("shell", "--no-imports", "-c", code, DEBUG="1")
    assert debug.stdout.split() == ["django.contrib.staticfiles.storage.StaticFilesStorage", "True"]


@pytest.mark.django_db
def test_after_collectstatic_pages_link_hashed_files_served_with_a_long_max_age(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGE, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        assert (tmp_path / "staticfiles.json").is_file()

        client = Client()  # a new client: whitenoise scans STATIC_ROOT when its middleware starts
        page = client.get("/").content.decode()
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the home page does not link a hashed site.css"

        response = client.get(stylesheet.group(1))
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert f"max-age={TEN_YEARS}" in cache_control and "immutable" in cache_control
        # Compressed copies were written too, for clients that accept them.
        assert client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
