"""Verified citations at the door: an excerpt is checked against its source text when it is saved.

Where the text is available, an excerpt that does not occur in it is refused (admin inline, API,
import and loader all validate through Citation.clean); where it is not, the citation is stored
unverified and every public surface says so.
"""

import csv
import importlib
import io
import json

import pytest
from django.apps import apps
from django.contrib.contenttypes.forms import generic_inlineformset_factory
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from partners.models import Partner
from wps_portal import services
from wps_portal.models import Citation, SourceDocument

pytestmark = pytest.mark.django_db

MADE_UP = "UN Women opened an office on the Moon in 2011"


def a_cited_partner():
    partner = Partner.objects.published().filter(citations__isnull=False).first()
    return partner, partner.citations.select_related("source").first()


def new_citation(partner, source, excerpt):
    return Citation(
        content_type=ContentType.objects.get_for_model(Partner),
        object_id=partner.pk,
        source=source,
        excerpt=excerpt,
    )


def test_the_loaded_corpus_is_verified():
    assert Citation.objects.count() > 0
    assert not Citation.objects.filter(verified_at__isnull=True).exists()


def test_a_made_up_excerpt_is_refused_on_save_saying_so():
    partner, existing = a_cited_partner()
    citation = new_citation(partner, existing.source, MADE_UP)
    with pytest.raises(ValidationError) as error:
        services.save(citation)
    message = " ".join(error.value.message_dict["excerpt"])
    assert "does not occur" in message and existing.source.key in message
    assert not Citation.objects.filter(excerpt=MADE_UP).exists()


def test_a_real_excerpt_is_saved_verified_even_with_other_spacing_and_quotes():
    partner, existing = a_cited_partner()
    retyped = "  " + existing.excerpt.replace(" ", "\n", 1).replace("'", "\u2019") + " "
    citation = services.save(new_citation(partner, existing.source, retyped))
    assert citation.verified_at is not None


def test_the_admin_inline_names_the_row_with_a_made_up_excerpt():
    partner, existing = a_cited_partner()
    FormSet = generic_inlineformset_factory(
        Citation, fields=("source", "section", "excerpt", "order"), extra=1
    )
    rows = list(partner.citations.all())
    data = {
        "wps_portal-citation-content_type-object_id-TOTAL_FORMS": str(len(rows) + 1),
        "wps_portal-citation-content_type-object_id-INITIAL_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows):
        prefix = f"wps_portal-citation-content_type-object_id-{index}-"
        data |= {
            prefix + "id": str(row.pk),
            prefix + "source": str(row.source_id),
            prefix + "excerpt": row.excerpt,
            prefix + "section": row.section,
            prefix + "order": str(row.order),
        }
    new = f"wps_portal-citation-content_type-object_id-{len(rows)}-"
    data |= {new + "source": str(existing.source_id), new + "excerpt": MADE_UP, new + "order": "9"}
    formset = FormSet(data, instance=partner)
    assert not formset.is_valid()
    assert [bool(form.errors) for form in formset.forms] == [False] * len(rows) + [True]
    assert "does not occur" in " ".join(formset.forms[-1].errors["excerpt"])


@pytest.fixture
def no_source_texts(settings, tmp_path):
    settings.SOURCES_DIR = tmp_path  # an empty folder: no text is available
    return tmp_path


def test_without_the_source_text_a_citation_is_stored_unverified(no_source_texts):
    partner, existing = a_cited_partner()
    citation = services.save(new_citation(partner, existing.source, MADE_UP))
    assert citation.verified_at is None and not citation.is_verified


def test_without_the_source_text_an_unchanged_citation_keeps_its_check(no_source_texts):
    _partner, existing = a_cited_partner()
    verified_at = existing.verified_at
    existing.section = "Another heading"
    services.save(existing)
    assert existing.verified_at == verified_at
    existing.excerpt = MADE_UP
    services.save(existing)
    assert existing.verified_at is None  # a changed excerpt was not checked


def test_unverified_citation_is_marked_on_the_page_the_api_and_csv(no_source_texts, client):
    partner, existing = a_cited_partner()
    services.save(new_citation(partner, existing.source, MADE_UP))
    page = client.get(partner.get_absolute_url()).content.decode()
    assert page.count("unverified-label") == 1
    assert "marked “unverified”" in page  # the footer says what the label means
    source_page = client.get(existing.source.get_absolute_url()).content.decode()
    assert "unverified-label" in source_page
    body = APIClient().get(f"/api/v1/partners/{partner.slug}/").json()
    verified = {c["excerpt"]: c["verified"] for c in body["citations"]}
    assert verified[MADE_UP] is False and verified[existing.excerpt] is True
    csv_text = b"".join(
        APIClient().get("/api/v1/partners/?format=csv&fields=slug,citations").streaming_content
    ).decode()
    row = next(r for r in csv.DictReader(io.StringIO(csv_text)) if r["slug"] == partner.slug)
    marked = {c["excerpt"]: c["verified"] for c in json.loads(row["citations"])}
    assert marked[MADE_UP] is False and marked[existing.excerpt] is True


def test_a_verified_citation_shows_no_label(client):
    partner, _existing = a_cited_partner()
    assert "unverified-label" not in client.get(partner.get_absolute_url()).content.decode()


def test_the_migration_marks_existing_citations_by_the_real_check(settings, tmp_path):
    migration = importlib.import_module("wps_portal.migrations.0004_citation_verified_at")
    partner, existing = a_cited_partner()
    wrong = Citation.objects.create(
        content_type=existing.content_type, object_id=partner.pk, source=existing.source, excerpt=MADE_UP
    )  # written past the check, as before the migration
    Citation.objects.update(verified_at=None)
    migration.check_existing(apps, None)
    assert not Citation.objects.exclude(pk=wrong.pk).filter(verified_at__isnull=True).exists()
    assert Citation.objects.get(pk=wrong.pk).verified_at is None
    Citation.objects.update(verified_at=None)
    settings.SOURCES_DIR = tmp_path
    migration.check_existing(apps, None)
    assert not Citation.objects.filter(verified_at__isnull=False).exists()


def test_each_source_text_is_read_once(monkeypatch):
    from pathlib import Path

    from wps_portal import provenance

    provenance._texts.clear()
    reads = []
    original = Path.read_text

    def counting(self, *args, **kwargs):
        reads.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting)
    source = SourceDocument.objects.first()
    for _ in range(3):
        assert provenance.source_text(source.filename) is not None
    assert reads == [source.filename]


def test_the_citation_admin_refuses_a_made_up_excerpt(admin_client):
    from django.urls import reverse

    partner, existing = a_cited_partner()
    data = {
        "content_type": existing.content_type_id,
        "object_id": partner.pk,
        "source": existing.source_id,
        "excerpt": MADE_UP,
        "section": "",
        "order": 0,
    }
    response = admin_client.post(reverse("admin:wps_portal_citation_add"), data)
    assert response.status_code == 200  # the form again, with the error
    assert "does not occur" in " ".join(response.context["adminform"].form.errors["excerpt"])
    assert not Citation.objects.filter(excerpt=MADE_UP).exists()
    data["excerpt"] = existing.excerpt
    assert admin_client.post(reverse("admin:wps_portal_citation_add"), data).status_code == 302


def test_verify_citations_mark_stamps_citations_saved_unverified(settings, tmp_path, sources_dir, capsys):
    from django.core.management import call_command

    _partner, existing = a_cited_partner()
    settings.SOURCES_DIR = tmp_path  # the site runs without the texts, where a citation is added
    added = services.save(new_citation(_partner, existing.source, existing.excerpt[:40]))
    assert added.verified_at is None
    existing = added
    call_command("verify_citations", "--sources", str(sources_dir))  # the texts, elsewhere
    assert "run with --mark" in capsys.readouterr().out
    assert Citation.objects.get(pk=existing.pk).verified_at is None  # reported, not changed
    call_command("verify_citations", "--sources", str(sources_dir), "--mark")
    assert "1 unverified citation found in its source: marked verified" in capsys.readouterr().out
    assert Citation.objects.get(pk=existing.pk).verified_at is not None
