"""API token authentication: knox tokens (stored as SHA-512 digests, expiring), with failed
attempts counted per client address and throttled.

A client that sent FAILED_TOKEN_RATE wrong tokens (default 10 a minute) gets 429 with Retry-After
for every token it sends until the window has passed, the right one included: otherwise the
throttle would still tell a guesser which guess was right. The counts live in the default cache,
shared by every worker when that cache is Redis.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

TOKEN_SHAPE = re.compile(rb"[A-Za-z0-9_-]{1,200}")


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts wrong tokens per client address (the same address DRF's throttles use)."""

    scope = "failed_token"
    cache_format = "throttle_%(scope)s_%(ident)s"

    def get_rate(self):
        return settings.FAILED_TOKEN_RATE

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request):
        self.key = self.get_cache_key(request)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()

    def is_blocked(self, request) -> bool:
        if self.rate is None:
            return False
        self._load(request)
        return len(self.history) >= self.num_requests

    def record_failure(self, request) -> None:
        if self.rate is None:
            return
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <token>``; a malformed token is a 401, never a 500."""

    def authenticate(self, request):
        throttle = FailedTokenThrottle()
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.split(" ", 1)[0].lower() != self.authenticate_header(request).lower():
            return None  # no token offered: not ours to count
        if throttle.is_blocked(request):
            raise exceptions.Throttled(wait=throttle.wait())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise

    def authenticate_credentials(self, token: bytes):
        # A token is hex (knox) plus an optional ASCII prefix; anything else cannot match, and
        # would fail inside knox (bytes that are not UTF-8) or the database (a NUL).
        if not TOKEN_SHAPE.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)
