"""The English text of every translated field (and of each version in the history) copied into its
English column (django-modeltranslation's ``title_en``…), which the portal reads from now on."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "casestudy": ("title", "summary"),
    "approach": ("title", "summary"),
    "lesson": ("title", "text"),
}


def copy_english(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model_name in (name, f"historical{name}"):
            model = apps.get_model("casestudies", model_name)
            model._base_manager.update(**{f"{field}_en": F(field) for field in fields})


def copy_back(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model_name in (name, f"historical{name}"):
            model = apps.get_model("casestudies", model_name)
            model._base_manager.filter(**{f"{fields[0]}_en__isnull": False}).update(
                **{field: F(f"{field}_en") for field in fields}
            )


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0007_translated_content")]

    operations = [migrations.RunPython(copy_english, copy_back)]
