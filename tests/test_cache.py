"""Cached counts and facet counts: every way of writing makes them current again.

Each test reads a count through a page (which caches it), writes through one path, lets the
transaction's commit callbacks run (tests never commit: ``django_capture_on_commit_callbacks``),
and reads the page again.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache as django_cache
from django.urls import reverse
from rest_framework.test import APIClient

from activities.models import Activity
from tests.test_corpus_loader import mini_corpus  # noqa: F401  (the fixture)
from wps_portal import cache, services
from wps_portal.choices import Status
from wps_portal.corpus import load_corpus

pytestmark = pytest.mark.django_db

API_LIST = "/api/v1/activities/"


def api_count():
    return APIClient().get(API_LIST).json()["count"]


def page_count(client):
    return client.get(reverse("activities:list")).context["count"]


def type_facet(client):
    facets = client.get(reverse("activities:list")).context["facets"]
    (_name, _label, shown, more) = next(f for f in facets if f[0] == "type")
    return {v.value: v.count for v in [*shown, *more]}


def a_published_activity():
    return Activity.objects.published().order_by("pk").first()


def test_a_count_is_served_from_the_cache_until_a_write(client, django_assert_num_queries):
    before = page_count(client)
    Activity.objects.filter(pk=a_published_activity().pk).update(status=Status.DRAFT)  # no signal, no hook
    assert page_count(client) == before  # cached: the bypassing write is not seen…
    cache.bump()
    assert page_count(client) == before - 1  # …until the generation moves


def test_services_update_invalidates_counts_and_facets(client, django_capture_on_commit_callbacks):
    activity = a_published_activity()
    count, facet = api_count(), type_facet(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.update(Activity.objects.filter(pk=activity.pk), status=Status.DRAFT)  # no signals
    assert api_count() == count - 1
    assert type_facet(client).get(activity.type, 0) == facet[activity.type] - 1


def test_services_save_invalidates_counts(client, django_capture_on_commit_callbacks):
    count = page_count(client)
    activity = a_published_activity()
    activity.status = Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        services.save(activity)
    assert page_count(client) == count - 1


def test_an_api_write_invalidates_counts(django_capture_on_commit_callbacks):
    count = api_count()
    user = User.objects.create_user("curator", password="x")
    user.user_permissions.set(Permission.objects.filter(codename="delete_activity"))
    writer = APIClient()
    writer.force_authenticate(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.delete(f"{API_LIST}{a_published_activity().slug}/")
    assert response.status_code == 204
    assert api_count() == count - 1


def test_an_admin_action_invalidates_counts(admin_client, client, django_capture_on_commit_callbacks):
    count = page_count(client)
    changelist = reverse("admin:activities_activity_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist, {"action": "unpublish", "_selected_action": [a_published_activity().pk]}
        )
    assert response.status_code == 302
    assert page_count(client) == count - 1


def test_an_admin_edit_invalidates_counts(admin_client, client, django_capture_on_commit_callbacks):
    count = page_count(client)
    activity = a_published_activity()
    change = reverse("admin:activities_activity_change", args=[activity.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(status=Status.DRAFT, countries=[c.pk for c in activity.countries.all()])
    for formset in admin_client.get(change).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for i, inline in enumerate(formset.formset.forms):
            for name in inline.fields:
                value = inline[name].value()
                data[f"{formset.formset.prefix}-{i}-{name}"] = "" if value is None else value
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert page_count(client) == count - 1


def test_a_corpus_load_invalidates_counts(mini_corpus, django_capture_on_commit_callbacks):  # noqa: F811
    count = api_count()
    with django_capture_on_commit_callbacks(execute=True):
        load_corpus(mini_corpus)
    assert api_count() == count + 1  # the mini corpus's activity


def test_a_save_that_bypasses_the_write_path_still_invalidates(client, django_capture_on_commit_callbacks):
    count = page_count(client)
    activity = a_published_activity()
    activity.status = Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        activity.save()  # post_save: the safety net
    assert page_count(client) == count - 1


def test_a_many_to_many_change_invalidates_facets(client, django_capture_on_commit_callbacks):
    activity = a_published_activity()
    response = client.get(reverse("activities:list"))
    countries = {
        v.value: v.count for f in response.context["facets"] if f[0] == "country" for v in [*f[2], *f[3]]
    }
    code = activity.countries.first().code
    with django_capture_on_commit_callbacks(execute=True):
        activity.countries.clear()  # m2m_changed: the safety net
    response = client.get(reverse("activities:list"))
    after = {
        v.value: v.count for f in response.context["facets"] if f[0] == "country" for v in [*f[2], *f[3]]
    }
    assert after.get(code, 0) == countries[code] - 1


def test_a_load_of_many_records_bumps_the_generation_once(django_capture_on_commit_callbacks):
    first = cache.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for activity in Activity.objects.published()[:20]:
            activity.save()
    assert cache.generation() == first + 1
    assert len(callbacks) == 1


def test_the_generation_survives_an_evicted_key():
    cache.bump()
    before = cache.generation()
    django_cache.delete(cache.GENERATION_KEY)
    cache.bump()
    assert cache.generation() >= 1 and cache.key("x") != f"wps:{before}:x"


def ego_nodes(client, slug):
    import json

    page = client.get(reverse("partners:detail", args=[slug])).content.decode()
    data = page.split('id="network-data" type="application/json">')[1].split("</script>")[0]
    return {node["id"] for node in json.loads(data)["nodes"]}


def test_partner_pages_share_one_network_until_a_write(client, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from networks.graph import full_network
    from partners.models import Partner

    network = full_network()
    hub = max(network.nodes, key=lambda node: node.degree).id
    django_cache.clear()
    with CaptureQueriesContext(connection) as cold:
        linked = sorted(ego_nodes(client, hub) - {hub})
    with CaptureQueriesContext(connection) as warm:
        ego_nodes(client, hub)
    # the published partners' count (is the whole network small enough?) and the network's four
    # queries (build_network), run once
    assert len(cold) - len(warm) == 5

    with django_capture_on_commit_callbacks(execute=True):
        services.update(Partner.objects.filter(slug=linked[0]), status=Status.DRAFT)
    assert linked[0] not in ego_nodes(client, hub)  # the write made a new network


def test_a_search_ranks_once_until_the_index_changes(client, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partners.models import Partner

    def search(q, page=1):
        with CaptureQueriesContext(connection) as queries:
            body = APIClient().get("/api/v1/partners/", {"q": q, "page": page}).json()
        # the full-text queries over the index entries (a word's correction reads the vocabulary)
        entries = ("wps_portal_searchentry_fts", "search_vector @@")
        full_text = sum(1 for x in queries.captured_queries if any(e in x["sql"] for e in entries))
        return [p["slug"] for p in body["results"]], full_text

    assert search("women")[1] == 1
    assert search("women", page=2)[1] == 0  # the next page of the same search: ranked once
    assert search("qwzxy") == ([], 1)
    assert search("qwzxy") == ([], 0)  # "no match" is cached too
    # A curator's rename through the write path: the cached "no match" is stale.
    first = Partner.objects.published().order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.update(Partner.objects.filter(pk=first.pk), name="Qwzxy Foundation")
    assert search("qwzxy") == ([first.slug], 1)


def test_a_refresh_of_the_search_index_makes_cached_rankings_stale(django_capture_on_commit_callbacks):
    from partners.models import Partner
    from wps_portal.search import engine
    from wps_portal.search.index import refresh_search_text

    assert engine.ranking(Partner, "qwzxy") == []
    partner = Partner.objects.published().order_by("pk").first()
    Partner.objects.filter(pk=partner.pk).update(name="Qwzxy Trust")  # no signal, no hook
    assert engine.ranking(Partner, "qwzxy") == []  # the index does not know yet
    with django_capture_on_commit_callbacks(execute=True):
        refresh_search_text([Partner], pks=[partner.pk])
    assert engine.ranking(Partner, "qwzxy") == [partner.pk]


def test_the_home_counts_are_cached_until_a_write(client, django_capture_on_commit_callbacks):
    def activities_count():
        counts = client.get(reverse("home")).context["counts"]
        return next(n for n, _noun, url in counts if url == "activities:list")

    before = activities_count()
    activity = a_published_activity()
    Activity.objects.filter(pk=activity.pk).update(status=Status.DRAFT)  # no signal, no hook
    assert activities_count() == before  # from the cache
    activity.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.update(Activity.objects.filter(pk=activity.pk), status=Status.PUBLISHED)
        Activity.objects.filter(pk=activity.pk).update(status=Status.DRAFT)
    assert activities_count() == before - 1
