"""Citations record whether their excerpt was found in the source text (``verified_at``).

The existing citations are checked here, with the same matcher as ``verify_citations``, against
the texts in settings.SOURCES_DIR: those found are marked verified now; those whose text is
missing, or whose excerpt is not in it, stay unverified (and are shown so) until a curator fixes
or re-saves them where the text is available.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def check_existing(apps, schema_editor):
    from wps_portal.excerpts import occurs_in

    Citation = apps.get_model("wps_portal", "Citation")
    SourceDocument = apps.get_model("wps_portal", "SourceDocument")
    texts = {}
    for source in SourceDocument.objects.all():
        path = Path(settings.SOURCES_DIR) / source.filename
        texts[source.pk] = path.read_text(encoding="utf-8") if source.filename and path.is_file() else None
    found = [
        pk
        for pk, source_id, excerpt in Citation.objects.values_list("pk", "source_id", "excerpt")
        if texts.get(source_id) is not None and occurs_in(excerpt, texts[source_id])
    ]
    now = timezone.now()
    for start in range(0, len(found), 500):
        Citation.objects.filter(pk__in=found[start : start + 500]).update(verified_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("wps_portal", "0003_loaded_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="citation",
            name="verified_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the excerpt was last found in the source text; empty: not yet checked.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="verified_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the excerpt was last found in the source text; empty: not yet checked.",
                null=True,
            ),
        ),
        migrations.RunPython(check_existing, migrations.RunPython.noop, elidable=True),
    ]
