"""Read replicas: public reads go to a replica, everything else to the primary.

Active only when ``DATABASE_REPLICA_URLS`` is set (settings.py adds one ``replicaN`` alias per URL
and installs :class:`ReplicaRouter`). The rule, in one place:

- every write goes to the primary (``default``);
- a read goes to the primary when it can depend on a write: inside a ``services.writing`` block,
  inside a transaction on the primary, or during a request pinned to the primary (a method other
  than GET/HEAD/OPTIONS, the admin, or a signed-in user or API token, so a curator sees their own
  change at once even where a replica lags);
- every other read — an anonymous visitor's page or API GET — goes to a replica, the same one
  for the whole request (so one request never mixes two replicas' states).

:func:`read_alias` says where reads go now; code that opens a request-wide read transaction must
open it there (on the replica for a public request), not on the primary, or every read of the
request would count as "inside a transaction on the primary".

Migrations run on every database (a replica that is a streaming copy refuses them, harmlessly;
one that is a separate database, as in the tests, gets the schema).
"""

from __future__ import annotations

import contextvars
import random
from contextlib import contextmanager, suppress

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from . import services
from .security import ADMIN_PREFIX

_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("wps_primary_pinned", default=False)
_request_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar("wps_replica", default=None)

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


def read_alias() -> str:
    """The database a read made now goes to."""
    if not settings.REPLICA_DATABASES or reads_need_primary():
        return DEFAULT_DB_ALIAS
    return _request_replica.get() or random.choice(settings.REPLICA_DATABASES)


def request_needs_primary(request) -> bool:
    """A request that writes, curates or is signed in reads its own writes from the primary."""
    return (
        request.method not in SAFE_METHODS
        or request.path_info.startswith(ADMIN_PREFIX)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

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
        if request_needs_primary(request):
            variable, value = _pinned, True
        elif settings.REPLICA_DATABASES:
            variable, value = _request_replica, random.choice(settings.REPLICA_DATABASES)
        else:
            return self.get_response(request)
        token = variable.set(value)
        try:
            response = self.get_response(request)
        finally:
            variable.reset(token)
        if response.streaming:
            # A streamed body (CSV export) is read after this method returns.
            response.streaming_content = _iter_with(variable, value, response.streaming_content)
        return response


def _iter_with(variable, value, chunks):
    token = variable.set(value)
    try:
        yield from chunks
    finally:
        # Closed from another context, there is nothing to restore.
        with suppress(ValueError):
            variable.reset(token)
