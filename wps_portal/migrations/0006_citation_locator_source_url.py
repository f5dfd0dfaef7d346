"""Citations say where in their source the excerpt was found (``locator``: the section, from the
text's headings, as ``verify_excerpt`` sets it from now on); source documents may carry the
address where they can be read online (``url``).

The existing verified citations are located here against the texts in settings.SOURCES_DIR, with
the matcher ``verify_citations`` uses; where a text is missing the locator stays empty until the
citation is saved, or ``verify_citations --mark`` runs, where the text is available.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def locate_existing(apps, schema_editor):
    from wps_portal.excerpts import locate

    Citation = apps.get_model("wps_portal", "Citation")
    SourceDocument = apps.get_model("wps_portal", "SourceDocument")
    texts = {}
    for source in SourceDocument.objects.all():
        path = Path(settings.SOURCES_DIR) / source.filename
        texts[source.pk] = path.read_text(encoding="utf-8") if source.filename and path.is_file() else None
    changed = []
    for citation in Citation.objects.filter(verified_at__isnull=False).only("source_id", "excerpt"):
        if texts.get(citation.source_id) is not None:
            citation.locator = locate(citation.excerpt, texts[citation.source_id])[:300]
            if citation.locator:
                changed.append(citation)
    Citation.objects.bulk_update(changed, ["locator"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("wps_portal", "0005_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="citation",
            name="locator",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The section of the source where the excerpt was found, from its headings.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="locator",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The section of the source where the excerpt was found, from its headings.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="historicalsourcedocument",
            name="url",
            field=models.URLField(
                blank=True,
                help_text="Where the document can be read online, if known: only an address whose text is the document's (leave empty rather than guess).",
                max_length=500,
            ),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="url",
            field=models.URLField(
                blank=True,
                help_text="Where the document can be read online, if known: only an address whose text is the document's (leave empty rather than guess).",
                max_length=500,
            ),
        ),
        migrations.RunPython(locate_existing, migrations.RunPython.noop),
    ]
