"""API tokens (django-rest-knox): created for a user, shown once, stored only as a digest, expiring
after API_TOKEN_DAYS unless told otherwise; revoked one by one or all of a user's at once.

``manage.py api_token`` is the command-line face of these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from knox.models import AuthToken
from knox.settings import CONSTANTS


class TokenError(ValueError):
    pass


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret: shown once, never stored
    key: str  # its first characters, stored, to name it when listing or revoking
    expiry: datetime | None


def _user(username: str):
    try:
        return get_user_model()._default_manager.get_by_natural_key(username)
    except get_user_model().DoesNotExist:
        raise TokenError(f"No user {username!r}.") from None


def create_token(username: str, days: int | None = None) -> IssuedToken:
    """A new token for ``username``, valid for ``days`` (API_TOKEN_DAYS by default; 0: no expiry)."""
    user = _user(username)
    days = settings.API_TOKEN_DAYS if days is None else days
    if days < 0:
        raise TokenError("days must be 0 (no expiry) or more.")
    instance, token = AuthToken.objects.create(user=user, expiry=timedelta(days=days) if days else None)
    return IssuedToken(token=token, key=instance.token_key, expiry=instance.expiry)


def list_tokens(username: str | None = None) -> list[AuthToken]:
    tokens = AuthToken.objects.select_related("user").order_by("user__username", "created")
    if username is not None:
        tokens = tokens.filter(user=_user(username))
    return list(tokens)


def revoke_tokens(username: str, key: str | None = None) -> int:
    """Deletes ``username``'s token whose key (or whole token) is ``key``, or all of them; returns
    how many were revoked."""
    tokens = AuthToken.objects.filter(user=_user(username))
    if key is not None:
        tokens = tokens.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        if not tokens.exists():
            raise TokenError(f"{username!r} has no token {key!r}.")
    count, _ = tokens.delete()
    return count
