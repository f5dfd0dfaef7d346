from django.db import migrations

from wps_portal.migration_operations import AddNamesVector


class Migration(migrations.Migration):
    dependencies = [
        ("wps_portal", "0011_translated_field_names"),
    ]

    operations = [AddNamesVector()]
