"""The REST API v1, write side: who may create, update and delete, and how writes are validated."""

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from activities.models import Activity, Phase, Programme
from casestudies.models import Approach, CaseStudy, IssueBox, Lesson
from partners.models import Partner
from wps_portal.tokens import create_token

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def partner():
    return Partner.objects.published().first().slug


def programme():
    return Programme.objects.published().first().slug


def approach():
    return Approach.objects.published().first().slug


def case_study():
    return CaseStudy.objects.published().first().slug


# resource -> (model, a valid new record, a change to an existing one)
WRITABLE = {
    "partners": (
        Partner,
        lambda: {"slug": "test-partner", "name": "Test partner", "kind": "ngo", "scope": "national", "country": "XK"},
        {"name": "Renamed"},
    ),
    "programmes": (
        Programme,
        lambda: {"slug": "test-programme", "name": "Test programme", "countries": ["XK", "BA"], "lead": partner()},
        {"name": "Renamed"},
    ),
    "phases": (
        Phase,
        lambda: {"slug": "test-phase", "number": 99, "name": "Phase 99", "programme": programme()},
        {"name": "Renamed"},
    ),
    "activities": (
        Activity,
        lambda: {
            "slug": "test-activity",
            "title": "Test activity",
            "type": "training",
            "start": "2010-06",
            "end": "2011",
            "countries": ["XK"],
            "participants": [{"partner": partner(), "role": "implementing"}],
        },
        {"title": "Renamed"},
    ),
    "case-studies": (
        CaseStudy,
        lambda: {
            "number": 999,
            "slug": "test-case-study",
            "title": "Test case study",
            "section": "networking",
            "partners": [{"partner": partner(), "role": "partner"}],
            "approaches": [approach()],
        },
        {"title": "Renamed"},
    ),
    "lessons": (Lesson, lambda: {"case_study": case_study(), "order": 99, "text": "A lesson."}, {"text": "Renamed"}),
    "approaches": (
        Approach,
        lambda: {"slug": "test-approach", "kind": "networking", "title": "Test approach"},
        {"title": "Renamed"},
    ),
    "issue-boxes": (
        IssueBox,
        lambda: {"slug": "test-issue-box", "approach": approach(), "title": "Box", "body": "Text."},
        {"title": "Renamed"},
    ),
}  # fmt: skip


def existing(model):
    manager = model._default_manager
    record = manager.published().first() if hasattr(manager, "published") else manager.first()
    return record.slug


def user_with(*codenames):
    user = User.objects.create_user("curator", password="x")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def client_for(who, model, action):
    client = APIClient()
    if who == "anonymous":
        return client
    codename = f"{action}_{model._meta.model_name}"
    # "without" has every permission of the model except the one the write needs
    others = [f"{a}_{model._meta.model_name}" for a in ("add", "change", "delete", "view") if a != action]
    client.force_authenticate(user_with(codename) if who == "with" else user_with(*others))
    return client


EXPECTED = {"anonymous": 401, "without": 403}


@pytest.mark.parametrize("who", ["anonymous", "without", "with"])
@pytest.mark.parametrize("resource", WRITABLE)
def test_create_needs_the_add_permission(resource, who):
    model, payload, _change = WRITABLE[resource]
    before = model._default_manager.count()
    response = client_for(who, model, "add").post(f"{API}{resource}/", payload(), format="json")
    if who == "with":
        assert response.status_code == 201, response.content
        assert model._default_manager.count() == before + 1
    else:
        assert response.status_code == EXPECTED[who]
        assert model._default_manager.count() == before


@pytest.mark.parametrize("who", ["anonymous", "without", "with"])
@pytest.mark.parametrize("resource", WRITABLE)
def test_update_needs_the_change_permission(resource, who):
    model, _payload, change = WRITABLE[resource]
    slug = existing(model)
    response = client_for(who, model, "change").patch(f"{API}{resource}/{slug}/", change, format="json")
    field, value = next(iter(change.items()))
    stored = getattr(model._default_manager.get(slug=slug), field)
    if who == "with":
        assert response.status_code == 200, response.content
        assert stored == value
    else:
        assert response.status_code == EXPECTED[who]
        assert stored != value


@pytest.mark.parametrize("who", ["anonymous", "without", "with"])
@pytest.mark.parametrize("resource", WRITABLE)
def test_delete_needs_the_delete_permission(resource, who):
    model, _payload, _change = WRITABLE[resource]
    slug = existing(model)
    response = client_for(who, model, "delete").delete(f"{API}{resource}/{slug}/")
    exists = model._default_manager.filter(slug=slug).exists()
    if who == "with":
        assert response.status_code == 204
        assert not exists
    else:
        assert response.status_code == EXPECTED[who]
        assert exists


@pytest.mark.parametrize("resource", ["countries", "sources"])
def test_reference_data_is_read_only_even_for_a_superuser(resource):
    client = APIClient()
    client.force_authenticate(User.objects.create_superuser("admin", password="x"))
    assert client.post(f"{API}{resource}/", {}, format="json").status_code == 405


def test_token_authentication_allows_writes():
    user = user_with("add_approach")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(user.username).token}")
    payload = WRITABLE["approaches"][1]()
    assert client.post(f"{API}approaches/", payload, format="json").status_code == 201


def curator(*codenames):
    client = APIClient()
    client.force_authenticate(user_with(*codenames))
    return client


def test_created_activity_reads_back_with_partial_dates_and_participants():
    client = curator("add_activity", "change_activity")
    body = client.post(f"{API}activities/", WRITABLE["activities"][1](), format="json").json()
    assert body["start"] == "2010-06" and body["end"] == "2011"
    assert body["date_precision"] == "month"
    assert body["participants"][0]["role"] == "implementing"
    assert body["countries"][0]["code"] == "XK"
    assert body["status"] == "draft"  # a new record waits for a curator to publish it
    activity = Activity.objects.get(slug="test-activity")
    assert activity.participations.count() == 1
    # a curator sees the draft; the public does not
    assert client.get(f"{API}activities/test-activity/").status_code == 200
    assert APIClient().get(f"{API}activities/test-activity/").status_code == 404


@pytest.mark.parametrize(
    ("resource", "change", "field"),
    [
        (
            "activities",
            {"participants": [{"partner": "no-such-partner", "role": "implementing"}]},
            "participants",
        ),
        ("activities", {"participants": [{"partner": "zene-zenama", "role": "hero"}]}, "participants"),
        ("activities", {"start": "2010-13"}, "start"),
        ("activities", {"start": "June 2010"}, "start"),
        ("activities", {"start": "2012", "end": "2010"}, "end_date"),
        ("activities", {"countries": ["ZZ"]}, "countries"),
        ("activities", {"type": "party"}, "type"),
        ("partners", {"kind": "spaceship"}, "kind"),
        ("partners", {"country": "ZZ"}, "country"),
        ("partners", {"slug": "not a slug"}, "slug"),
        ("lessons", {"approach": "partner-identification"}, "case_study"),
    ],
)
def test_invalid_write_is_a_400_naming_the_field(resource, change, field):
    model = WRITABLE[resource][0]
    slug = existing(model)
    if resource == "lessons":
        change = {"approach": existing(Approach)}  # a lesson with two owners
        slug = Lesson.objects.published().filter(case_study__isnull=False).first().slug
    client = curator(f"change_{model._meta.model_name}")
    response = client.patch(f"{API}{resource}/{slug}/", change, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_duplicate_slug_is_a_400():
    client = curator("add_partner")
    payload = {**WRITABLE["partners"][1](), "slug": existing(Partner)}
    response = client.post(f"{API}partners/", payload, format="json")
    assert response.status_code == 400
    assert "slug" in response.json()


def test_replacing_participants_replaces_the_list():
    activity = Activity.objects.published().filter(participations__isnull=False).first()
    client = curator("change_activity")
    new = [{"partner": "zene-zenama", "role": "funding"}]
    response = client.patch(f"{API}activities/{activity.slug}/", {"participants": new}, format="json")
    assert response.status_code == 200
    assert list(activity.participations.values_list("partner__slug", "role")) == [("zene-zenama", "funding")]


@pytest.mark.parametrize(
    ("resource", "field", "codename"),
    [("activities", "participants", "change_activity"), ("case-studies", "partners", "change_casestudy")],
)
@pytest.mark.parametrize("item", [{"role": "partner"}, {"partner": "x"}, {}])
def test_patch_of_a_partner_list_item_missing_a_field_is_a_400_naming_it(resource, field, codename, item):
    model = WRITABLE[resource][0]
    slug = existing(model)
    if "partner" in item:
        item = {"partner": partner()}
    response = curator(codename).patch(f"{API}{resource}/{slug}/", {field: [item]}, format="json")
    assert response.status_code == 400, response.content
    errors = str(response.json()[field])
    assert all(name in errors for name in {"partner", "role"} - set(item)), errors
