"""Read replicas (DATABASE_REPLICA_URLS): anonymous reads from a replica, everything that writes
or may depend on a write from the primary.

The rule is tested directly everywhere. The end-to-end test needs a second real database: .ci/run
runs this file on PostgreSQL with DATABASE_REPLICA_URLS pointing at another database of the same
server (REQUIRE_REPLICA=1 turns its skip into a failure there). That replica is a separate, empty
database, so a record written to it alone shows which database answered.
"""

import os

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings

from partners.models import Partner
from wps_portal import services
from wps_portal.db_routing import PrimaryPinningMiddleware, ReplicaRouter, request_needs_primary, use_primary


@pytest.fixture
def router():
    with override_settings(REPLICA_DATABASES=["replica1", "replica2"]):
        yield ReplicaRouter()


def test_writes_always_go_to_the_primary(router):
    assert router.db_for_write(Partner) == "default"


def test_a_read_outside_any_write_goes_to_a_replica(router):
    assert router.db_for_read(Partner) in {"replica1", "replica2"}


def test_reads_inside_a_transaction_on_the_primary_go_to_the_primary(
    router, django_db_setup, django_db_blocker
):
    with django_db_blocker.unblock(), transaction.atomic():
        assert router.db_for_read(Partner) == "default"


def test_reads_inside_a_services_writing_block_go_to_the_primary(router):
    with services.writing(services.Via.SHELL, reason="test"):
        assert router.db_for_read(Partner) == "default"


def test_reads_of_a_pinned_request_go_to_the_primary(router):
    with use_primary():
        assert router.db_for_read(Partner) == "default"


@pytest.mark.parametrize(
    ("method", "path", "extra", "primary"),
    [
        ("get", "/partners/", {}, False),
        ("head", "/api/v1/partners/", {}, False),
        ("post", "/api/v1/partners/", {}, True),
        ("get", "/admin/partners/partner/", {}, True),
        ("get", "/partners/", {"HTTP_COOKIE": "sessionid=abc"}, True),
        ("get", "/api/v1/partners/", {"HTTP_AUTHORIZATION": "Token abc"}, True),
    ],
)
def test_which_requests_read_from_the_primary(method, path, extra, primary):
    request = getattr(RequestFactory(), method)(path, **extra)
    assert request_needs_primary(request) is primary


def test_one_request_reads_from_one_replica_throughout(router):
    def view(request):
        view.seen = {router.db_for_read(Partner) for _ in range(30)}
        return HttpResponse()

    for _ in range(5):
        PrimaryPinningMiddleware(view)(RequestFactory().get("/partners/"))
        assert len(view.seen) == 1 and view.seen <= {"replica1", "replica2"}
    PrimaryPinningMiddleware(view)(RequestFactory().post("/api/v1/partners/"))
    assert view.seen == {"default"}


def test_a_streamed_response_keeps_reading_where_its_request_did(router):
    def view(request):
        return StreamingHttpResponse(router.db_for_read(Partner) for _ in range(3))

    pinned = PrimaryPinningMiddleware(view)(RequestFactory().get("/partners/", HTTP_AUTHORIZATION="Token x"))
    assert b"".join(pinned.streaming_content) == b"default" * 3
    public = b"".join(PrimaryPinningMiddleware(view)(RequestFactory().get("/partners/")).streaming_content)
    assert public in {b"replica1" * 3, b"replica2" * 3}


needs_replica = pytest.mark.skipif(
    not settings.REPLICA_DATABASES and os.environ.get("REQUIRE_REPLICA") != "1",
    reason="needs DATABASE_REPLICA_URLS (a second database; .ci/run sets it for this file)",
)


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_with_a_real_replica_public_reads_come_from_it_and_writes_from_the_primary(client):
    assert settings.REPLICA_DATABASES == ["replica1"], (
        "REQUIRE_REPLICA=1 but DATABASE_REPLICA_URLS is not set"
    )
    Partner.objects.using("replica1").create(
        name="Only On The Replica", slug="only-on-the-replica", kind="ngo", scope="local", status="published"
    )
    # An anonymous visitor reads from the replica, on the site and in the API.
    assert client.get("/partners/only-on-the-replica/").status_code == 200
    assert client.get("/api/v1/partners/only-on-the-replica/").status_code == 200
    # A signed-in curator (session cookie) or a token user reads the primary, which lacks it.
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    assert client.get("/partners/only-on-the-replica/").status_code == 404
    # Inside a write transaction the read goes to the primary too.
    with transaction.atomic():
        assert not Partner.objects.filter(slug="only-on-the-replica").exists()
    assert Partner.objects.filter(slug="only-on-the-replica").exists()
    # A write lands on the primary only.
    Partner.objects.create(name="Written", slug="written-to-primary", kind="ngo", scope="local")
    assert Partner.objects.using("default").filter(slug="written-to-primary").exists()
    assert not Partner.objects.using("replica1").filter(slug="written-to-primary").exists()
