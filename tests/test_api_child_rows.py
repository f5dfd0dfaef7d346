"""API writes accept the child rows the API shows, or refuse them with a 400 naming the field:
input is never dropped silently, and an incomplete child row is a 400, never a 500."""

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from activities.models import Activity
from casestudies.models import CaseStudy
from partners.models import Partner
from wps_portal.models import Citation

pytestmark = pytest.mark.django_db

API = "/api/v1/"
MADE_UP = "UN Women opened an office on the Moon in 2011"


def curator(*codenames):
    user = User.objects.create_user("curator", password="x")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_partner(**extra):
    return {"slug": "test-partner", "name": "Test partner", "kind": "ngo", "scope": "national", **extra}


def a_real_citation():
    citation = Citation.objects.select_related("source").first()
    return {"source": citation.source.key, "excerpt": citation.excerpt, "section": "Somewhere"}


def test_aliases_posted_with_a_partner_are_saved_and_searchable():
    client = curator("add_partner")
    aliases = [{"name": "Testna Organizacija", "kind": "local"}, {"name": "TPO"}]
    response = client.post(f"{API}partners/", new_partner(aliases=aliases), format="json")
    assert response.status_code == 201, response.content
    assert {(a["name"], a["kind"]) for a in response.json()["aliases"]} == {
        ("Testna Organizacija", "local"),
        ("TPO", "spelling"),
    }
    partner = Partner.objects.get(slug="test-partner")
    assert sorted(partner.aliases.values_list("name", flat=True)) == ["TPO", "Testna Organizacija"]
    assert partner in Partner.objects.search("testna organizacija")


def test_patching_aliases_replaces_the_list_and_refreshes_search():
    partner = Partner.objects.published().filter(aliases__isnull=False).first()
    client = curator("change_partner")
    response = client.patch(
        f"{API}partners/{partner.slug}/", {"aliases": [{"name": "Brand New Alias"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [a["name"] for a in response.json()["aliases"]] == ["Brand New Alias"]
    assert list(partner.aliases.values_list("name", flat=True)) == ["Brand New Alias"]
    assert partner in Partner.objects.search("brand new alias")


def test_an_aliases_language_is_written():
    client = curator("add_partner")
    response = client.post(
        f"{API}partners/",
        new_partner(aliases=[{"name": "Partneri Test", "kind": "local", "language": "sq"}]),
        format="json",
    )
    assert response.status_code == 201, response.content
    alias = Partner.objects.get(slug="test-partner").aliases.get()
    assert (alias.name, alias.kind, alias.language) == ("Partneri Test", "local", "sq")


def test_an_alias_listed_twice_is_a_400():
    client = curator("add_partner")
    response = client.post(
        f"{API}partners/", new_partner(aliases=[{"name": "TPO"}, {"name": "tpo"}]), format="json"
    )
    assert response.status_code == 400
    assert "aliases" in response.json()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"relations": [{"type": "member-of", "target": "kosovo-womens-network"}]}, "relations"),
        ({"nickname": "Testy"}, "nickname"),
        ({"aliases": [{"name": "TPO", "script": "Latn"}]}, "aliases"),
    ],
)
def test_input_the_api_does_not_write_is_a_400_naming_it(extra, field):
    client = curator("add_partner")
    response = client.post(f"{API}partners/", new_partner(**extra), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Partner.objects.filter(slug="test-partner").exists()


def test_links_read_from_the_api_may_be_sent_back():
    partner = Partner.objects.published().first()
    client = curator("change_partner")
    url = f"{API}partners/{partner.slug}/"
    read = client.get(url).json()
    response = client.patch(
        url, {"name": "Renamed", "url": read["url"], "html_url": read["html_url"]}, format="json"
    )
    assert response.status_code == 200, response.content


def test_outputs_posted_with_an_activity_are_saved_in_order():
    client = curator("add_activity", "change_activity")
    outputs = [
        {"quantity": 90, "unit": "delegates"},
        {"quantity": 30, "unit": "police stations", "note": "pilot"},
    ]
    payload = {"slug": "test-activity", "title": "Test activity", "type": "training", "outputs": outputs}
    response = client.post(f"{API}activities/", payload, format="json")
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(slug="test-activity")
    assert list(activity.outputs.values_list("quantity", "unit", "note")) == [
        (90, "delegates", ""),
        (30, "police stations", "pilot"),
    ]
    response = client.patch(
        f"{API}activities/test-activity/", {"outputs": [{"quantity": 5, "unit": "towns"}]}, format="json"
    )
    assert response.status_code == 200
    assert [(o["quantity"], o["unit"]) for o in response.json()["outputs"]] == [(5, "towns")]
    assert activity.outputs.count() == 1


@pytest.mark.parametrize(
    ("resource", "model", "field", "row"),
    [
        ("activities", Activity, "participants", {"role": "implementing"}),
        ("activities", Activity, "participants", {"partner": "zene-zenama"}),
        ("case-studies", CaseStudy, "partners", {"role": "partner"}),
        ("activities", Activity, "outputs", {"unit": "towns"}),
        ("activities", Activity, "citations", {"excerpt": "Something"}),
    ],
)
def test_patching_an_incomplete_child_row_is_a_400_not_a_500(resource, model, field, row):
    record = model.objects.published().first()
    client = curator(f"change_{model._meta.model_name}")
    response = client.patch(f"{API}{resource}/{record.slug}/", {field: [row]}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_citations_posted_with_a_record_are_verified_and_saved():
    client = curator("add_partner")
    response = client.post(f"{API}partners/", new_partner(citations=[a_real_citation()]), format="json")
    assert response.status_code == 201, response.content
    (citation,) = response.json()["citations"]
    assert citation["verified"] is True and citation["source"]["key"] == a_real_citation()["source"]
    assert Partner.objects.get(slug="test-partner").citations.get().verified_at is not None


def test_a_made_up_excerpt_posted_through_the_api_is_a_400_naming_the_excerpt():
    client = curator("add_partner")
    citations = [a_real_citation(), {**a_real_citation(), "excerpt": MADE_UP}]
    response = client.post(f"{API}partners/", new_partner(citations=citations), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["citations"]
    assert errors[0] == {} and "does not occur" in errors[1]["excerpt"][0]
    assert not Partner.objects.filter(slug="test-partner").exists()


def test_a_citation_of_an_unknown_source_is_a_400():
    client = curator("add_partner")
    citation = {**a_real_citation(), "source": "no-such-document"}
    response = client.post(f"{API}partners/", new_partner(citations=[citation]), format="json")
    assert response.status_code == 400
    assert "source" in response.json()["citations"][0]


def test_patching_citations_keeps_the_rows_that_stay():
    partner = Partner.objects.published().filter(citations__isnull=False).first()
    kept = partner.citations.select_related("source").first()
    client = curator("change_partner")
    payload = {"citations": [{"source": kept.source.key, "excerpt": kept.excerpt, "section": "New heading"}]}
    response = client.patch(f"{API}partners/{partner.slug}/", payload, format="json")
    assert response.status_code == 200, response.content
    (row,) = partner.citations.all()
    assert row.pk == kept.pk and row.section == "New heading"
