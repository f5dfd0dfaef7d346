"""One committed state per request (wps_portal.security.ConsistentReadMiddleware), on PostgreSQL.

A reader thread runs a request through the middleware; half-way through, a writer thread commits a
change; the reader's second look must see what its first saw (a read request at REPEATABLE READ),
while a write request (READ COMMITTED, the default) sees the change: the control that shows the
test can fail. Both threads have connections of their own, outside the test's transaction, so the
writer really commits; it puts the record back before the test ends.
"""

import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from partners.models import Partner
from wps_portal.choices import Status
from wps_portal.security import ConsistentReadMiddleware

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions; SQLite serialises writers behind readers",
    ),
]


def published_count() -> int:
    return Partner.objects.published().count()


class Writer:
    """Unpublishes one partner in a committed transaction of its own when told, and restores it."""

    def __init__(self):
        self.partner_pk = Partner.objects.published().values_list("pk", flat=True).first()
        self.go, self.done = threading.Event(), threading.Event()

    def _run(self, status):
        try:
            with transaction.atomic():
                Partner.objects.filter(pk=self.partner_pk).update(status=status)
        finally:
            connections.close_all()

    def commit_now(self):
        """Called by the reader: commit the change in another thread and wait for it."""
        thread = threading.Thread(target=self._run, args=(Status.DRAFT,))
        thread.start()
        thread.join(timeout=30)

    def restore(self):
        thread = threading.Thread(target=self._run, args=(Status.PUBLISHED,))
        thread.start()
        thread.join(timeout=30)


def in_own_thread(function):
    """Run ``function`` in a thread with its own connection; return its result or raise its error."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def counts_around_a_commit(method: str, streaming: bool = False) -> tuple[int, int]:
    writer = Writer()
    seen = []

    def look_twice():
        seen.append(published_count())
        writer.commit_now()
        seen.append(published_count())
        yield b"done"

    def view(request):
        if streaming:
            return StreamingHttpResponse(look_twice())
        return HttpResponse(b"".join(look_twice()))

    def request():
        response = ConsistentReadMiddleware(view)(RequestFactory().generic(method, "/"))
        b"".join(response) if streaming else response.content
        response.close()
        assert not connection.in_atomic_block  # the transaction ended with the response
        return tuple(seen)

    try:
        return in_own_thread(request)
    finally:
        writer.restore()


def test_a_read_request_sees_one_snapshot_while_another_transaction_commits():
    first, second = counts_around_a_commit("GET")
    assert first == second


def test_a_streamed_response_keeps_its_snapshot_until_the_last_row():
    first, second = counts_around_a_commit("GET", streaming=True)
    assert first == second


def test_control_a_write_request_sees_the_other_commit():
    first, second = counts_around_a_commit("POST")
    assert second == first - 1


def test_list_totals_agree_with_rows_and_facets_while_records_flip():
    """The whole stack: each response's own numbers agree while a writer flips partners in a loop."""
    stop = threading.Event()
    pks = list(Partner.objects.published().values_list("pk", flat=True)[:20])

    def flip():
        status = Status.DRAFT
        try:
            while not stop.is_set():
                with transaction.atomic():
                    Partner.objects.filter(pk__in=pks).update(status=status)
                status = Status.PUBLISHED if status == Status.DRAFT else Status.DRAFT
        finally:
            with transaction.atomic():
                Partner.objects.filter(pk__in=pks).update(status=Status.PUBLISHED)
            connections.close_all()

    def read_pages():
        client = Client()
        disagreements = []
        for _ in range(10):
            body = client.get("/api/v1/partners/?page_size=500&fields=slug").json()
            if body["count"] != len(body["results"]):
                disagreements.append(("api count vs rows", body["count"], len(body["results"])))
            # The list page: its total, and the kind facet's counts (each partner has one kind).
            html = client.get("/partners/").content.decode()
            total = int(re.search(r'class="result-count"[^>]*>(\d+)', html).group(1))
            kinds = re.findall(
                r'name="kind" value="[^"]*"[^>]*> <span class="facet-label">[^<]*</span> '
                r'<span class="facet-count">(\d+)</span>',
                html,
            )
            if not kinds or total != sum(map(int, kinds)):
                disagreements.append(("page total vs kind facet", total, kinds))
        return disagreements

    writer = threading.Thread(target=flip)
    writer.start()
    try:
        disagreements = in_own_thread(read_pages)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert disagreements == []


def test_a_read_request_uses_counts_cached_under_its_snapshots_generation_and_any_write_moves_it():
    """Counts are cached on PostgreSQL too: under the generation the request's snapshot reads in the
    database, which a trigger moves in any writing transaction (here a bulk update, no signal)."""
    from django.test.utils import CaptureQueriesContext

    from wps_portal.cache import DB_GENERATION_TABLE

    writer = Writer()

    def look():
        client = Client()
        with CaptureQueriesContext(connection) as queries:
            total = client.get("/api/v1/partners/").json()["count"]
        counted = sum(1 for q in queries.captured_queries if q["sql"].upper().startswith("SELECT COUNT"))
        return total, counted

    def generation():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT n FROM {DB_GENERATION_TABLE}")
            return cursor.fetchone()[0]

    try:
        first, second = in_own_thread(look), in_own_thread(look)
        assert first[1] == 1 and second == (first[0], 0)  # counted once, then from the cache
        before = in_own_thread(generation)
        writer.commit_now()  # Partner.objects.filter(…).update(…): no signal, no services hook
        assert in_own_thread(generation) == before + 1
        assert in_own_thread(look) == (first[0] - 1, 1)  # the cached count is not reused
    finally:
        writer.restore()


def test_writers_take_turns_at_the_generation_and_never_deadlock():
    """Every writing transaction locks the database's generation before its first row lock (the
    trigger runs before the statement), so two writers updating the same partners in opposite
    orders take turns; with the lock taken after the first statement they would deadlock."""
    import time

    first, second = Partner.objects.published().order_by("pk").values_list("pk", flat=True)[:2]
    started, errors = threading.Event(), []

    def write(order, wait):
        try:
            with transaction.atomic():
                Partner.objects.filter(pk=order[0]).update(status=Status.PUBLISHED)
                started.set()
                time.sleep(wait)
                Partner.objects.filter(pk=order[1]).update(status=Status.PUBLISHED)
        except Exception as error:  # a deadlock aborts one of the two
            errors.append(error)
        finally:
            connections.close_all()

    a = threading.Thread(target=write, args=((first, second), 0.5))
    b = threading.Thread(target=write, args=((second, first), 0))
    a.start()
    started.wait(timeout=10)
    b.start()
    a.join(timeout=30)
    b.join(timeout=30)
    assert errors == []
