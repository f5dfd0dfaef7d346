from django.db import migrations

from wps_portal.migration_operations import CreateVocabularyTrigrams


class Migration(migrations.Migration):
    dependencies = [
        ("wps_portal", "0009_searchentry_kind_index_year_countries"),
    ]

    operations = [CreateVocabularyTrigrams()]
