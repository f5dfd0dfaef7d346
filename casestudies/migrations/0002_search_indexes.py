from django.db import migrations

from wps_portal.migration_operations import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0001_initial")]

    operations = [
        CreateSearchIndex("Approach"),
        CreateSearchIndex("IssueBox"),
        CreateSearchIndex("CaseStudy"),
        CreateSearchIndex("Lesson"),
    ]
