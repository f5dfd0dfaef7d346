"""Curators' daily work: history (who, when, via which path, why, what changed), revert, delete and
restore, the three roles' permissions, draft preview, partial dates, plain-sentence constraint
messages and the "not verified in over a year" filter."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from activities.models import Activity
from casestudies.models import Lesson
from partners.models import Alias, Partner
from wps_portal import services
from wps_portal.forms import PartialDateField
from wps_portal.history import has_history
from wps_portal.models import Citation, PublicModel, SourceDocument
from wps_portal.roles import EDITOR, REVIEWER, VIEWER
from wps_portal.services import Via

pytestmark = pytest.mark.django_db


def curator(role, name=None):
    user = User.objects.create_user(name or role.lower(), password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def client_for(client, user):
    client.force_login(user)
    return client


def new_partner(**values):
    values = {"name": "Curated Body", "slug": "curated-body", "kind": "ngo", "scope": "local", **values}
    return services.save(Partner(**values))


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def partner_form(partner, **changes):
    """The partner admin form as posted, with ``changes``."""
    data = {
        "name": partner.name,
        "slug": partner.slug,
        "acronym": partner.acronym,
        "kind": partner.kind,
        "scope": partner.scope,
        "country": partner.country_id or "",
        "founded_year": partner.founded_year or "",
        "parent": partner.parent_id or "",
        "description": partner.description,
        "status": partner.status,
        "last_verified": partner.last_verified or "",
    }
    for prefix in ("aliases", "relations_from", "wps_portal-citation-content_type-object_id"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


# -- history: every curated model keeps it ------------------------------------------------------


CURATED = [
    "partners.Country", "partners.Partner", "partners.Alias", "partners.PartnerRelation",
    "activities.Programme", "activities.Phase", "activities.ThematicArea", "activities.Activity",
    "activities.Participation", "activities.Output",
    "casestudies.Approach", "casestudies.IssueBox", "casestudies.CaseStudy",
    "casestudies.CaseStudyPartner", "casestudies.Result", "casestudies.Lesson",
    "wps_portal.Citation", "wps_portal.SourceDocument",
]  # fmt: skip


@pytest.mark.parametrize("label", CURATED)
def test_every_curated_model_keeps_a_history_with_its_path(label):
    model = apps.get_model(label)
    assert has_history(model)
    assert "via" in {f.name for f in model.history.model._meta.fields}
    # the corpus load left one row per record
    assert model.history.count() >= model.objects.count() > 0


def test_a_shell_write_is_recorded_as_shell_with_its_values():
    partner = new_partner()
    row = partner.history.get()
    assert (row.via, row.history_type, row.history_user, row.name) == ("shell", "+", None, "Curated Body")


def test_a_loader_write_is_recorded_as_loader_with_its_reason():
    with services.writing(Via.LOADER, reason="load_corpus fixtures/"):
        partner = new_partner()
    row = partner.history.get()
    assert (row.via, row.history_change_reason) == ("loader", "load_corpus fixtures/")


def test_an_admin_edit_is_recorded_with_user_reason_and_diff(admin_client, admin_user):
    partner = new_partner(description="Old words.")
    response = admin_client.post(
        change_url(partner),
        partner_form(partner, description="New words.", change_reason="Checked the 2011 report"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = partner.history.latest()
    assert (row.via, row.history_user, row.history_change_reason) == (
        "admin",
        admin_user,
        "Checked the 2011 report",
    )
    changes = {
        c.field: (c.old, c.new)
        for c in row.diff_against(row.prev_record, excluded_fields=["updated"]).changes
    }
    assert changes == {"description": ("Old words.", "New words.")}


def test_the_history_page_shows_the_old_and_new_values(admin_client):
    partner = new_partner(description="Before the edit")
    with services.writing(Via.ADMIN):
        partner.description = "After the edit"
        services.save(partner)
    opts = Partner._meta
    page = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[partner.pk]))
    text = page.content.decode()
    assert "Before the edit" in text and "After the edit" in text
    assert "admin" in text  # the via column
    assert "updated:" not in text.lower().replace(" ", "")  # timestamps are not part of the diff


def test_an_api_write_is_recorded_as_api_with_its_user_and_reason():
    user = curator(REVIEWER, "api-reviewer")
    client = APIClient()
    client.force_authenticate(user)
    partner = new_partner()
    response = client.patch(
        f"/api/v1/partners/{partner.slug}/",
        {"name": "Renamed Through The API"},
        format="json",
        HTTP_X_CHANGE_REASON="Spelling from the 2013 report",
    )
    assert response.status_code == 200, response.content
    row = partner.history.latest()
    assert (row.via, row.history_user, row.name, row.history_change_reason) == (
        "api",
        user,
        "Renamed Through The API",
        "Spelling from the 2013 report",
    )


def test_an_api_delete_is_recorded_and_restorable():
    user = curator(REVIEWER, "api-deleter")
    client = APIClient()
    client.force_authenticate(user)
    partner = new_partner()
    assert client.delete(f"/api/v1/partners/{partner.slug}/").status_code == 204
    row = Partner.history.filter(id=partner.pk).latest()
    assert (row.history_type, row.via, row.history_user) == ("-", "api", user)


def test_publishing_from_the_list_leaves_one_history_row_per_record_changed(admin_client, admin_user):
    drafts = [new_partner(slug=f"draft-{i}", name=f"Draft {i}") for i in range(3)]
    already = new_partner(slug="already-published", name="Already", status="published")
    response = admin_client.post(
        reverse("admin:partners_partner_changelist"),
        {"action": "publish", "_selected_action": [p.pk for p in [*drafts, already]]},
    )
    assert response.status_code == 302
    for partner in drafts:
        partner.refresh_from_db()
        row = partner.history.latest()
        assert (partner.status, row.status, row.via, row.history_user, row.history_type) == (
            "published",
            "published",
            "action",
            admin_user,
            "~",
        )
        assert row.history_change_reason == "Published from the list"
    assert already.history.count() == 1  # publishing a published record changes nothing


def test_services_update_records_history_in_queries_that_do_not_grow_with_the_records():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish(count, prefix):
        for i in range(count):
            new_partner(slug=f"{prefix}-{i}", name=f"Bulk {prefix} {i}")
        with CaptureQueriesContext(connection) as captured:
            assert (
                services.update(Partner.objects.filter(slug__startswith=f"{prefix}-"), status="published")
                == count
            )
        return len(captured)

    assert publish(2, "two") == publish(6, "six")
    assert Partner.history.filter(slug__startswith="six-", status="published", via="shell").count() == 6


def test_a_bulk_change_reindexes_only_the_records_it_changed():
    """Publishing one record re-reads that record for the search index, not its whole table: the
    same queries with 600 more partners (more than one chunk of the full refresh)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wps_portal.search.engine import ranking

    def publish(slug):
        new_partner(slug=slug, name=f"Bulkpublished {slug}")
        with CaptureQueriesContext(connection) as captured:
            assert services.update(Partner.objects.filter(slug=slug), status="published") == 1
        return len(captured)

    before = publish("first-bulk")
    Partner.objects.bulk_create(
        Partner(slug=f"filler-{i}", name=f"Filler {i}", kind="ngo", scope="local") for i in range(600)
    )
    assert publish("second-bulk") == before
    found = Partner.objects.filter(pk__in=ranking(Partner, "Bulkpublished")).values_list("slug", flat=True)
    assert set(found) == {"first-bulk", "second-bulk"}


# -- revert, delete, restore -------------------------------------------------------------------


def history_form_url(obj, row):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, row.history_id])


def test_a_reviewer_reverts_a_record_to_an_earlier_version(client):
    partner = new_partner(description="The original description.")
    first = partner.history.get()
    partner.description = "A mistaken edit."
    services.save(partner)
    reviewer = curator(REVIEWER)
    response = client_for(client, reviewer).post(
        history_form_url(partner, first),
        partner_form(partner, description="The original description.", change_reason="Undo the mistake"),
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.description == "The original description."
    row = partner.history.latest()
    assert (row.via, row.history_user, row.history_change_reason) == ("admin", reviewer, "Undo the mistake")


def test_an_editor_cannot_revert(client):
    partner = new_partner(description="Original.")
    first = partner.history.get()
    partner.description = "Changed."
    services.save(partner)
    editor_client = client_for(client, curator(EDITOR))
    assert editor_client.get(history_form_url(partner, first)).status_code == 200  # may look
    response = editor_client.post(
        history_form_url(partner, first), partner_form(partner, description="Original.")
    )
    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.description == "Changed."


def test_a_deleted_record_is_listed_and_restored_with_its_aliases_and_citations(client):
    partner = new_partner()
    Alias.objects.create(partner=partner, name="Restorable Alias")
    source = SourceDocument.objects.first()
    services.save(Citation(record=partner, source=source, excerpt="Women"))
    reviewer_client = client_for(client, curator(REVIEWER))
    pk = partner.pk
    confirmation = reviewer_client.get(reverse("admin:partners_partner_delete", args=[pk])).content.decode()
    assert 'name="change_reason"' in confirmation  # the reason box
    response = reviewer_client.post(
        reverse("admin:partners_partner_delete", args=[pk]), {"post": "yes", "change_reason": "Duplicate"}
    )
    assert response.status_code == 302
    assert (
        not Partner.objects.filter(pk=pk).exists()
        and not Alias.objects.filter(name="Restorable Alias").exists()
    )

    deleted_url = reverse("admin:partners_partner_deleted")
    page = reviewer_client.get(deleted_url)
    assert page.status_code == 200 and "Curated Body" in page.content.decode()
    row = Partner.history.get(id=pk, history_type="-")
    assert (row.via, row.history_change_reason) == ("admin", "Duplicate")

    response = reviewer_client.post(deleted_url, {"history_id": row.history_id})
    assert response.status_code == 302
    restored = Partner.objects.get(pk=pk)
    assert restored.name == "Curated Body"
    assert list(restored.aliases.values_list("name", flat=True)) == ["Restorable Alias"]
    assert restored.citations.get().excerpt == "Women"
    assert list(Partner.objects.search("restorable")) == [restored]  # findable again
    assert pk not in [r.id for r in __import__("wps_portal.history", fromlist=["x"]).deleted_records(Partner)]


def test_an_editor_sees_deleted_records_but_cannot_restore(client):
    partner = new_partner()
    pk = partner.pk
    services.delete(partner)
    row = Partner.history.get(id=pk, history_type="-")
    editor_client = client_for(client, curator(EDITOR))
    assert editor_client.get(reverse("admin:partners_partner_deleted")).status_code == 200
    assert (
        editor_client.post(
            reverse("admin:partners_partner_deleted"), {"history_id": row.history_id}
        ).status_code
        == 403
    )
    assert not Partner.objects.filter(pk=pk).exists()


# -- roles: the permission matrix ----------------------------------------------------------------

SAMPLE_MODELS = [Partner, Activity, Lesson]
# (role, action) -> allowed
MATRIX = {
    (VIEWER, "view"): True, (VIEWER, "add"): False, (VIEWER, "change"): False,
    (VIEWER, "delete"): False, (VIEWER, "publish"): False, (VIEWER, "revert"): False,
    (EDITOR, "view"): True, (EDITOR, "add"): True, (EDITOR, "change"): True,
    (EDITOR, "delete"): False, (EDITOR, "publish"): False, (EDITOR, "revert"): False,
    (REVIEWER, "view"): True, (REVIEWER, "add"): True, (REVIEWER, "change"): True,
    (REVIEWER, "delete"): True, (REVIEWER, "publish"): True, (REVIEWER, "revert"): True,
}  # fmt: skip


@pytest.mark.parametrize("model", SAMPLE_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(("role", "action"), list(MATRIX), ids=lambda v: str(v))
def test_permission_matrix(client, model, role, action):
    user = curator(role)
    web = client_for(client, user)
    opts = model._meta
    record = model.objects.filter(status="draft").first() or model.objects.first()
    name = f"admin:{opts.app_label}_{opts.model_name}"
    allowed = MATRIX[(role, action)]
    if action == "view":
        response = web.get(reverse(f"{name}_changelist"))
        assert (response.status_code == 200) is allowed
    elif action == "add":
        assert (web.get(reverse(f"{name}_add")).status_code == 200) is allowed
    elif action == "change":
        page = web.get(reverse(f"{name}_change", args=[record.pk]))
        assert page.status_code == 200  # viewers see it read-only
        assert ('name="_save"' in page.content.decode()) is allowed
    elif action == "delete":
        assert (web.get(reverse(f"{name}_delete", args=[record.pk])).status_code == 200) is allowed
    elif action == "publish":
        page = web.get(reverse(f"{name}_changelist"))
        offered = 'value="publish"' in page.content.decode()
        assert offered is allowed
        draft = model.objects.filter(status="draft").first()
        if draft is None:
            record.status = "draft"
            services.save(record, validate=False)
            draft = record
        web.post(reverse(f"{name}_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
        draft.refresh_from_db()
        assert (draft.status == "published") is allowed
    elif action == "revert":
        row = record.history.earliest()
        page = web.get(history_form_url(record, row))
        assert page.status_code == 200
        assert ('name="_save"' in page.content.decode()) is allowed


def test_roles_are_groups_with_the_publish_permission_for_reviewers_only():
    assert Group.objects.get(name=REVIEWER).permissions.filter(codename="publish_record").exists()
    assert not Group.objects.get(name=EDITOR).permissions.filter(codename="publish_record").exists()
    assert set(Group.objects.get(name=VIEWER).permissions.values_list("codename", flat=True)) >= {
        "view_partner",
        "view_activity",
        "view_citation",
    }
    assert not Group.objects.get(name=VIEWER).permissions.exclude(codename__startswith="view_").exists()


def test_an_editor_saving_a_record_as_published_is_refused_with_a_reason(client):
    editor_client = client_for(client, curator(EDITOR))
    partner = new_partner()
    response = editor_client.post(change_url(partner), partner_form(partner, status="published"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Only a Reviewer can publish" in errors["status"][0]
    partner.refresh_from_db()
    assert partner.status == "draft"
    # a draft edit by the same Editor is saved
    response = editor_client.post(change_url(partner), partner_form(partner, description="Drafted text."))
    assert response.status_code == 302


def test_an_editor_publishing_through_the_api_is_refused():
    client = APIClient()
    client.force_authenticate(curator(EDITOR, "api-editor"))
    partner = new_partner()
    response = client.patch(f"/api/v1/partners/{partner.slug}/", {"status": "published"}, format="json")
    assert response.status_code == 400
    assert "Only a Reviewer can publish" in response.json()["status"][0]
    partner.refresh_from_db()
    assert partner.status == "draft"


# -- draft preview -----------------------------------------------------------------------------


def test_staff_preview_a_draft_with_a_banner_and_the_public_gets_a_404(client):
    partner = new_partner(description="Not yet public words.")
    url = partner.get_absolute_url()
    assert client.get(url).status_code == 404
    response = client_for(client, curator(VIEWER)).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Draft — not public" in text and "Not yet public words." in text


def test_a_published_page_has_no_draft_banner_for_staff(client):
    partner = Partner.objects.published().first()
    response = client_for(client, curator(VIEWER)).get(partner.get_absolute_url())
    assert "Draft — not public" not in response.content.decode()


def test_view_on_site_reaches_the_draft_for_staff(client):
    partner = new_partner()
    web = client_for(client, curator(EDITOR))
    from django.contrib.contenttypes.models import ContentType

    shortcut = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Partner).pk, partner.pk])
    response = web.get(shortcut, follow=True)
    assert response.status_code == 200 and "Draft — not public" in response.content.decode()


def test_a_signed_in_user_without_the_view_permission_gets_a_404_for_a_draft(client):
    user = User.objects.create_user("outsider", password="x", is_staff=True)
    partner = new_partner()
    assert client_for(client, user).get(partner.get_absolute_url()).status_code == 404


def test_a_viewer_reads_a_draft_in_the_api_and_the_public_does_not():
    partner = new_partner()
    viewer = APIClient()
    viewer.force_authenticate(curator(VIEWER, "api-viewer"))
    assert viewer.get(f"/api/v1/partners/{partner.slug}/").status_code == 200
    assert APIClient().get(f"/api/v1/partners/{partner.slug}/").status_code == 404


def test_last_verified_is_shown_on_a_public_page(client):
    partner = Partner.objects.published().first()
    partner.last_verified = datetime.date(2025, 3, 14)
    services.save(partner, validate=False)
    assert (
        "Last verified against its sources on 14 March 2025."
        in client.get(partner.get_absolute_url()).content.decode()
    )


# -- partial dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2010", (datetime.date(2010, 1, 1), "year")),
        ("2010-06", (datetime.date(2010, 6, 1), "month")),
        ("2010-06-15", (datetime.date(2010, 6, 15), "day")),
        ("", (None, None)),
    ],
)
def test_partial_date_field_parses_year_month_and_day(typed, expected):
    assert PartialDateField(required=False).clean(typed) == expected


@pytest.mark.parametrize(("typed", "message"), [("2010-13", "is not a date"), ("June 2010", "YYYY, YYYY-MM")])
def test_partial_date_field_refuses_impossible_or_malformed_dates(typed, message):
    with pytest.raises(ValidationError) as error:
        PartialDateField(required=False).clean(typed)
    assert message in error.value.messages[0]


def test_an_activity_is_dated_in_the_admin_with_one_box_per_date(admin_client):
    data = {
        "title": "Partial Date Workshop",
        "slug": "partial-date-workshop",
        "type": Activity._meta.get_field("type").choices[0][0],
        "summary": "",
        "start": "2011-06",
        "end": "2012",
        "location": "",
        "status": "draft",
        "last_verified": "",
    }
    for prefix in ("participations", "outputs", "wps_portal-citation-content_type-object_id"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(reverse("admin:activities_activity_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get(slug="partial-date-workshop")
    assert (activity.start, activity.end) == ("2011-06", "2012")
    page = admin_client.get(change_url(activity)).content.decode()
    assert 'value="2011-06"' in page

    data.update(slug="partial-date-backwards", title="Backwards", start="2012-06", end="2011")
    response = admin_client.post(reverse("admin:activities_activity_add"), data)
    assert response.status_code == 200
    assert "The end is before the start." in str(response.context["adminform"].form.errors)


# -- constraints as plain sentences --------------------------------------------------------------


def test_every_constraint_has_a_plain_message():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            assert constraint.violation_error_message != constraint.default_violation_error_message, (
                f"{model._meta.label}: {constraint.name}"
            )


def test_a_too_long_excerpt_is_refused_with_a_sentence():
    citation = Citation(
        record=Partner.objects.first(), source=SourceDocument.objects.first(), excerpt="x" * 400
    )
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "An excerpt is at most 300 characters" in " ".join(error.value.messages)


def test_the_excerpt_box_shows_its_limit_and_counter(admin_client):
    partner = Partner.objects.first()
    page = admin_client.get(change_url(partner)).content.decode()
    assert 'maxlength="300"' in page and "data-char-counter" in page and "char-counter.js" in page
    assert "<script>" not in page.replace("<script src", "")  # no inline script


def test_a_duplicate_alias_is_refused_with_a_sentence():
    partner = new_partner()
    Alias.objects.create(partner=partner, name="Twice")
    with pytest.raises(ValidationError) as error:
        Alias(partner=partner, name="Twice").full_clean()
    assert "This partner already has that alias." in error.value.messages


# -- not verified in over a year -----------------------------------------------------------------


def test_the_stale_filter_lists_records_not_verified_in_a_year_or_never(admin_client):
    today = datetime.date.today()
    stale = new_partner(
        slug="stale", name="Zz Stale Body", last_verified=today - datetime.timedelta(days=400)
    )
    never = new_partner(slug="never", name="Zz Never Body")
    fresh = new_partner(slug="fresh", name="Zz Fresh Body", last_verified=today - datetime.timedelta(days=10))
    listed = Partner.objects.not_verified_within(days=365)
    assert stale in listed and never in listed and fresh not in listed
    page = admin_client.get(reverse("admin:partners_partner_changelist"), {"verified": "stale", "q": "Zz"})
    text = page.content.decode()
    assert "Zz Stale Body" in text and "Zz Never Body" in text and "Zz Fresh Body" not in text


@pytest.mark.parametrize(
    "label",
    [m._meta.label for m in apps.get_models() if issubclass(m, PublicModel) and has_history(m)],
)
def test_every_public_changelist_offers_the_stale_filter(admin_client, label):
    opts = apps.get_model(label)._meta
    page = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert "verified=stale" in page.content.decode()


def test_a_change_of_countries_is_in_the_history_with_its_diff(admin_client):
    from partners.models import Country

    activity = Activity.objects.first()
    before = set(activity.countries.values_list("code", flat=True))
    added = Country.objects.exclude(code__in=before).first()
    with services.writing(Via.ADMIN, reason="Add the country the report names"):
        activity.countries.add(added)
    row = activity.history.latest()
    assert (row.via, row.history_change_reason) == ("admin", "Add the country the report names")
    delta = row.diff_against(row.prev_record, excluded_fields=["created", "updated"])
    assert delta.changed_fields == ["countries"]
    opts = Activity._meta
    page = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[activity.pk]))
    assert page.status_code == 200 and "countries" in page.content.decode().lower()


def test_a_restored_activity_gets_its_countries_and_participants_back():
    from wps_portal.history import restore

    activity = (
        Activity.objects.filter(countries__isnull=False, participations__isnull=False).distinct().first()
    )
    countries = set(activity.countries.values_list("code", flat=True))
    participants = set(activity.participations.values_list("partner_id", "role"))
    pk = activity.pk
    with services.writing(Via.ADMIN, reason="Deleted by mistake"):
        services.delete(activity)
    row = Activity.history.filter(id=pk, history_type="-").latest()
    with services.writing(Via.ADMIN, reason="Undo"):
        restored = restore(Activity, row.history_id)
    assert set(restored.countries.values_list("code", flat=True)) == countries
    assert set(restored.participations.values_list("partner_id", "role")) == participants


@pytest.mark.parametrize(
    ("role", "old", "new", "allowed"),
    [
        (EDITOR, None, "draft", True),
        (EDITOR, "draft", "draft", True),
        (EDITOR, "published", "published", True),  # editing a published record keeps it published
        (EDITOR, None, "published", False),
        (EDITOR, "draft", "published", False),
        (EDITOR, "published", "draft", False),
        (REVIEWER, None, "published", True),
        (REVIEWER, "published", "draft", True),
        (None, None, "published", True),  # the loader, an import command, the shell
    ],
)
def test_the_status_rule_for_every_way_in(role, old, new, allowed):
    user = curator(role) if role else None
    with services.writing(Via.ADMIN, user=user):
        if allowed:
            services.check_status_change(old, new)
        else:
            with pytest.raises(ValidationError) as error:
                services.check_status_change(old, new)
            assert "Only a Reviewer" in error.value.message_dict["status"][0]
