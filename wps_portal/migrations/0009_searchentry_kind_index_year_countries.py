from django.db import migrations, models


class Migration(migrations.Migration):
    """The kind index also covers year and countries: the broad search's counts read it alone."""

    dependencies = [
        ("wps_portal", "0008_searchentry_kind_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="wps_portal_searchentry_kind"),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["id", "content_type", "object_id", "year", "countries"],
                name="wps_portal_searchentry_kind",
            ),
        ),
    ]
