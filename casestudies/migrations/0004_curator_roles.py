"""The curators' roles as groups: Viewer, Editor, Reviewer (see wps_portal/roles.py).

In casestudies, the top layer, because the groups hold permissions on every app's models. A later
migration that adds a curated model runs ``sync_roles`` again.
"""

from django.db import migrations

from wps_portal.roles import remove_roles, sync_roles


def forwards(apps, schema_editor):
    sync_roles(apps)


def backwards(apps, schema_editor):
    remove_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wps_portal", "0002_history"),
        ("partners", "0003_history"),
        ("activities", "0003_history"),
        ("casestudies", "0003_history"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
