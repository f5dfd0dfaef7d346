"""Bulk import in the admin: a preview first, then all rows or none, through the one write path."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity
from activities.resources import ActivityResource
from partners.models import Partner
from partners.resources import PartnerResource
from wps_portal import services

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "docs" / "import-samples"
IMPORT = reverse("admin:partners_partner_import")
CONFIRM = reverse("admin:partners_partner_process_import")
CSV, XLSX = "0", "1"  # the admin's import formats, in order


def sample_rows(name="partners.csv") -> list[dict]:
    with open(SAMPLES / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def preview(client, content: bytes, name="partners.csv", fmt=CSV, url=IMPORT):
    upload = SimpleUploadedFile(name, content)
    return client.post(url, {"import_file": upload, "format": fmt, "resource": "0"})


def confirm(client, response, url=CONFIRM):
    form = response.context["confirm_form"]
    return client.post(url, {name: form.initial.get(name, "") for name in form.fields})


def test_twenty_partners_import_after_a_preview_that_saves_nothing(admin_client):
    before = Partner.objects.count()
    response = preview(admin_client, (SAMPLES / "partners.csv").read_bytes())
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 20
    assert "Would create 20, change 0, skip 0" in response.content.decode()
    assert Partner.objects.count() == before  # the preview saved nothing

    response = confirm(admin_client, response)
    assert response.status_code == 302
    assert Partner.objects.count() == before + 20
    partner = Partner.objects.get(slug="sample-partner-03")
    assert (partner.kind, partner.scope, partner.country.code) == ("government", "national", "BA")
    assert partner.status == "draft"
    assert sorted(partner.aliases.values_list("name", "kind")) == [
        ("Sample organisation 03", "spelling"),
        ("Uzorak organizacija 03", "local"),
    ]
    assert Partner.objects.get(slug="sample-partner-02").aliases.get().kind == "acronym"  # by label
    assert Partner.objects.get(slug="sample-partner-05").parent.slug == "sample-partner-01"
    assert partner in Partner.objects.search("uzorak organizacija 03")  # aliases are searchable


def test_importing_the_same_file_again_skips_every_row(admin_client):
    content = (SAMPLES / "partners.csv").read_bytes()
    confirm(admin_client, preview(admin_client, content))
    result = preview(admin_client, content).context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 20)


def test_a_changed_alias_is_an_update(admin_client):
    confirm(admin_client, preview(admin_client, (SAMPLES / "partners.csv").read_bytes()))
    rows = sample_rows()
    rows[0]["aliases"] = "Only alias"
    result = preview(admin_client, as_csv(rows)).context["result"]
    assert (result.totals["update"], result.totals["skip"]) == (1, 19)


def test_a_bad_kind_is_named_by_row_and_column_and_nothing_is_saved(admin_client):
    before = Partner.objects.count()
    rows = sample_rows()
    rows[6]["kind"] = "spaceship"
    response = preview(admin_client, as_csv(rows))
    result = response.context["result"]
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 7
    assert list(invalid.field_specific_errors) == ["kind"]
    assert "spaceship" in invalid.field_specific_errors["kind"][0]
    assert "Women's NGO" in invalid.field_specific_errors["kind"][0]  # says what is allowed
    assert "confirm_form" not in response.context
    assert Partner.objects.count() == before


def test_a_confirmed_import_with_an_invalid_row_saves_nothing():
    rows = sample_rows()
    rows[19]["country"] = "Atlantis"
    dataset = tablib.Dataset().load(as_csv(rows).decode(), format="csv")
    before = Partner.objects.count()
    # What the admin's confirm step passes (ImportAdminMixin.get_import_data_kwargs).
    result = PartnerResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    assert list(result.invalid_rows[0].field_specific_errors) == ["country"]
    assert Partner.objects.count() == before


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("aliases", "A|a"),
        ("aliases", "Name [nickname]"),
        ("parent", "no-such-partner"),
        ("scope", "galactic"),
    ],
)
def test_a_bad_cell_is_named_by_its_column(column, value):
    rows = sample_rows()[:3]
    rows[1][column] = value
    dataset = tablib.Dataset().load(as_csv(rows).decode(), format="csv")
    result = PartnerResource().import_data(dataset, dry_run=True)
    assert [(row.number, list(row.field_specific_errors)) for row in result.invalid_rows] == [(2, [column])]


def test_xlsx_imports_with_numbers_and_labels(admin_client):
    header = ["slug", "name", "kind", "scope", "country", "founded_year", "aliases"]
    rows = [header, ["xlsx-partner", "Xlsx partner", "Women's NGO", "Local", "Kosovo", 2001, "XP"]]
    response = preview(admin_client, as_xlsx(rows), name="partners.xlsx", fmt=XLSX)
    assert response.context["result"].totals["new"] == 1
    confirm(admin_client, response)
    partner = Partner.objects.get(slug="xlsx-partner")
    assert (partner.kind, partner.scope, partner.country.code, partner.founded_year) == (
        "womens-ngo",
        "local",
        "XK",
        2001,
    )
    assert list(partner.aliases.values_list("name", flat=True)) == ["XP"]


def test_activities_import_with_labels_partial_dates_and_participants(admin_client):
    confirm(admin_client, preview(admin_client, (SAMPLES / "partners.csv").read_bytes()))
    url = reverse("admin:activities_activity_import")
    response = preview(
        admin_client, (SAMPLES / "activities.csv").read_bytes(), name="activities.csv", url=url
    )
    assert response.context["result"].totals["new"] == 2, response.context["result"].invalid_rows
    confirm(admin_client, response, url=reverse("admin:activities_activity_process_import"))
    activity = Activity.objects.get(slug="sample-activity-01")
    assert (activity.type, activity.start, activity.start_precision, activity.end) == (
        "training",
        "2011-06",
        "month",
        "2011-07",
    )
    assert sorted(activity.participations.values_list("partner__slug", "role")) == [
        ("sample-partner-01", "implementing"),
        ("sample-partner-02", "participant"),
    ]
    assert sorted(
        Activity.objects.get(slug="sample-activity-02").countries.values_list("code", flat=True)
    ) == [
        "BA",
        "RS",
        "XK",
    ]


def test_xlsx_year_cells_and_date_cells_are_partial_dates():
    import datetime

    header = ["slug", "title", "type", "start", "end"]
    rows = [header, ["xlsx-activity", "Xlsx activity", "workshop", 2011, datetime.datetime(2011, 9, 14)]]
    dataset = tablib.Dataset().load(as_xlsx(rows), format="xlsx")
    result = ActivityResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), (
        result.invalid_rows[0].error_dict if result.invalid_rows else ""
    )
    activity = Activity.objects.get(slug="xlsx-activity")
    assert (activity.start, activity.end) == ("2011", "2011-09-14")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("participants", "sample-partner-01"),
        ("participants", "no-such-partner:implementing"),
        ("participants", "kosovo-womens-network:hero"),
        ("start", "June 2011"),
        ("countries", "XK|Narnia"),
        ("type", "party"),
        ("end", "2010"),  # before the start: the model's rule, reported on the column
    ],
)
def test_a_bad_activity_cell_is_named_by_its_column(column, value):
    rows = sample_rows("activities.csv")[:1]
    rows[0] |= {"participants": "", column: value}
    dataset = tablib.Dataset().load(as_csv(rows).decode(), format="csv")
    result = ActivityResource().import_data(dataset, dry_run=True)
    assert [list(row.field_specific_errors) for row in result.invalid_rows] == [[column]]


def test_imports_write_through_the_one_write_path_as_import(monkeypatch):
    seen = []
    original = services.save

    def recording(instance, **kwargs):
        seen.append((type(instance).__name__, services.current().via))
        return original(instance, **kwargs)

    monkeypatch.setattr(services, "save", recording)
    dataset = tablib.Dataset().load((SAMPLES / "partners.csv").read_text(encoding="utf-8"), format="csv")
    PartnerResource().import_data(dataset, dry_run=False)
    assert seen and set(seen) == {("Partner", services.Via.IMPORT)}


def test_import_needs_the_add_and_change_permissions(client):
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_partner", "change_partner"]))
    client.force_login(user)
    changelist = client.get(reverse("admin:partners_partner_changelist"))
    assert changelist.status_code == 200 and IMPORT.encode() not in changelist.content
    assert client.get(IMPORT).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_partner"))
    user = User.objects.get(pk=user.pk)  # a fresh permission cache
    client.force_login(user)
    assert IMPORT.encode() in client.get(reverse("admin:partners_partner_changelist")).content
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert "partner-slug:role" not in page.content.decode()  # the partner page explains partner columns
    assert "[local]" in page.content.decode()


def test_the_activity_import_page_documents_its_cell_formats(admin_client):
    page = admin_client.get(reverse("admin:activities_activity_import")).content.decode()
    assert "partner-slug:role" in page and "2011-06" in page


def test_an_import_leaves_one_history_row_per_record_stamped_import():
    """The history says which records came in through an import, and who imported them."""
    importer = User.objects.create_user("importer")
    dataset = tablib.Dataset().load((SAMPLES / "partners.csv").read_text(encoding="utf-8"), format="csv")
    PartnerResource().import_data(dataset, dry_run=False, user=importer)
    slugs = list(dataset["slug"])
    rows = Partner.history.filter(slug__in=slugs)
    assert rows.count() == len(slugs) == 20
    assert set(rows.values_list("via", "history_type")) == {("import", "+")}
    assert set(rows.values_list("history_user__username", flat=True)) == {"importer"}
