"""Request hardening: who the client is, login lockout, bounded bodies, hostile characters, and one
committed state per request.

Each piece is a small class or function that settings.py names (MIDDLEWARE, AUTHENTICATION_BACKENDS,
AXES_CLIENT_IP_CALLABLE); the limits themselves are settings, documented in the README's Security
section.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For only as far as NUM_PROXIES trusts it.

    DRF's throttles already decide this from REST_FRAMEWORK["NUM_PROXIES"]; the login lockout and
    the failed-token throttle use the same answer, so one setting governs all three.
    """
    return BaseThrottle().get_ident(request)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login through a request (the admin's login form).

    ``authenticate()`` without a request comes only from code (``Client.login`` in tests, a shell),
    never from a client on the network; axes refuses those outright, which would break them, so
    they pass on to the next backend unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# -- bounded requests -----------------------------------------------------------------------------


def body_limit(request) -> tuple[int, str]:
    """The largest body this request may send, and which limit that is.

    Anonymous clients may send only a login form's worth (so no anonymous body is ever spooled to
    disk: the limit is far below FILE_UPLOAD_MAX_MEMORY_SIZE); API clients presenting a token get
    the API writers' limit (the token is checked later, by DRF); signed-in users (the admin) the
    largest.
    """
    if request.path_info.startswith(API_PREFIX) and request.META.get("HTTP_AUTHORIZATION"):
        return settings.MAX_BODY_API, "api"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if request.path_info.startswith(API_PREFIX):
            return settings.MAX_BODY_API, "api"
        return settings.MAX_BODY_AUTHENTICATED, "authenticated"
    return settings.MAX_BODY_ANONYMOUS, "anonymous"


def refuse(request, status: int, message: str):
    """A short refusal: JSON under /api/, a page elsewhere."""
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=status)
    else:
        response = render(request, "request_refused.html", {"message": message}, status=status)
    return response


def _declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class RequestBodyLimitMiddleware:
    """Refuses a body larger than the request's limit from its Content-Length, before anything
    reads it (CSRF, forms, DRF): 413, as JSON under /api/, as a page elsewhere.

    Django reads no more than Content-Length bytes, so a client that understates it gets a
    truncated body, never a larger one. Must come after AuthenticationMiddleware (it asks whether
    the user is signed in, which reads the session, not the body).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        if length is None:
            return refuse(request, 400, _("The Content-Length header is not a number."))
        if length:
            limit, _which = body_limit(request)
            if length > limit:
                return refuse(
                    request,
                    413,
                    _("The request body (%(length)s bytes) is larger than the %(limit)s bytes allowed.")
                    % {"length": length, "limit": limit},
                )
        return self.get_response(request)


class HostileInputMiddleware:
    """A NUL character in the path or a query value: 404 or 400 before a view sees it.

    PostgreSQL cannot store or compare a string containing NUL (psycopg raises, a 500), and no
    slug, code, key or search the portal knows contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404(_("No page has a NUL character in its address."))
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                message = _("A query parameter contains a NUL character.")
                if request.path_info.startswith(API_PREFIX):  # the API's 400: {parameter: [messages]}
                    return JsonResponse({name: [message]}, status=400)
                return refuse(request, 400, message)
        return self.get_response(request)


# -- consistent reads -----------------------------------------------------------------------------


def read_alias(request) -> str:
    """The database this request reads from: the primary, or with read replicas configured
    (wps_portal.db_routing, where present) the replica chosen for a public read request, so the
    request's transaction is opened where its reads go."""
    if request.method not in SAFE_METHODS:
        return DEFAULT_DB_ALIAS
    try:
        from wps_portal import db_routing
    except ImportError:
        return DEFAULT_DB_ALIAS
    return db_routing.read_alias()


class ConsistentReadMiddleware:
    """Each request runs in one database transaction, so a page, its facets and counts, or an API
    response (streamed CSV included) see one committed state, never half of a corpus reload.

    - GET/HEAD/OPTIONS on PostgreSQL: REPEATABLE READ, i.e. one snapshot for the whole request
      (READ COMMITTED, the default, takes a new snapshot per statement). Not READ ONLY: knox
      deletes an expired token while authenticating and axes records attempts.
    - Other methods: the default isolation; the transaction is rolled back when the response is a
      5xx (a view that failed half-way leaves nothing behind).
    - A streamed response keeps the transaction open until its last row is sent.

    This replaces ATOMIC_REQUESTS, which wraps only the view function: a TemplateResponse's
    template (where list pages evaluate their querysets) and a streamed body run after it, outside
    the transaction, each query then seeing whatever was committed at that moment.

    Nested in an outer transaction (a test's), it adds nothing: no savepoint, no SET, so query
    counts are the same as without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = read_alias(request)
        connection = connections[alias]
        if connection.in_atomic_block or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return self.get_response(request)
        stack = ExitStack()
        stack.enter_context(transaction.atomic(using=alias, savepoint=False))
        try:
            if request.method in SAFE_METHODS and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                # Counts cached by other requests may come from another snapshot: this request
                # reads those cached under the generation its snapshot sees in the database
                # (wps_portal.cache.cached), so its counts agree with its rows.
                connection.wps_snapshot = True
                stack.callback(setattr, connection, "wps_snapshot", False)
                stack.callback(setattr, connection, "wps_db_generation", None)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True, using=alias)
        except BaseException:
            stack.__exit__(*sys.exc_info())  # rolls back
            raise
        if response.streaming:
            response.streaming_content = self._then_close(response.streaming_content, stack)
            # An unstarted generator's `finally` never runs: close on response.close() too.
            response._resource_closers.append(stack.close)
        else:
            stack.close()
        return response

    @staticmethod
    def _then_close(content, stack):
        try:
            yield from content
        finally:
            stack.close()
