from django.db import migrations

from wps_portal.migration_operations import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [
        CreateSearchIndex("Programme"),
        CreateSearchIndex("Activity"),
    ]
