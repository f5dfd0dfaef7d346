"""Read replicas: public reads go to a replica, everything else to the primary.

Active only when ``DATABASE_REPLICA_URLS`` is set (settings.py adds one ``replicaN`` alias per URL
and installs :class:`ReplicaRouter`). The rule, in one place:

- every write goes to the primary (``default``);
- a read goes to the primary when it can depend on a write: inside a ``services.writing`` block,
  inside a transaction on the primary, or during a request pinned to the primary (a method other
  than GET/HEAD/OPTIONS, the admin, or a signed-in user or API token, so a curator sees their own
  change at once even where a replica lags);
- every other read — an anonymous visitor's page or API GET — goes to a replica.

Migrations run on every database (a replica that is a streaming copy refuses them, harmlessly;
one that is a separate database, as in the tests, gets the schema).
"""

from __future__ import annotations

import contextvars
import random
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from . import services

_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("wps_primary_pinned", default=False)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def use_primary():
    """Send every read inside the block to the primary."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def reads_need_primary() -> bool:
    return _pinned.get() or services.is_writing() or connections[DEFAULT_DB_ALIAS].in_atomic_block


def request_needs_primary(request) -> bool:
    """A request that writes, curates or is signed in reads its own writes from the primary."""
    return (
        request.method not in SAFE_METHODS
        or request.path_info.startswith("/admin/")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if reads_need_primary() or not settings.REPLICA_DATABASES:
            return DEFAULT_DB_ALIAS
        return random.choice(settings.REPLICA_DATABASES)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the same data as the primary: an object read from one may be related
        # to an object from another.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return True


class PrimaryPinningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_needs_primary(request):
            return self.get_response(request)
        with use_primary():
            response = self.get_response(request)
        if response.streaming:
            # A streamed body (CSV export) is read after this method returns.
            response.streaming_content = _pinned_iter(response.streaming_content)
        return response


def _pinned_iter(chunks):
    with use_primary():
        yield from chunks
