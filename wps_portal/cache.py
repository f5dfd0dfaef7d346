"""Counts and facet counts kept in the shared cache (``django.core.cache``), invalidated by writes.

Every cached value's key carries the registry's *generation*, a number in the same cache that
every write increments: a write makes every cached count unreachable at once (they expire on their
own), with no list of keys to keep. Writes reach :func:`bump` by two paths:

- the one write path: a hook registered with ``services.on_write`` (bulk changes, the loader, the
  seed…);
- a safety net for writes that bypass it: ``post_save``, ``post_delete`` and ``m2m_changed`` of any
  of the portal's models (admin inlines, a shell, a data migration).

Both run when the transaction commits, so a reader never caches a count of uncommitted rows under
the new generation. With Redis as the cache (``REDIS_URL``) every worker and command shares the
generation; with the default per-process memory cache, a write in another process shows once
entries expire (``COUNT_CACHE_SECONDS``, default 300).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import cached_property

GENERATION_KEY = "wps:generation"
PORTAL_APPS = {"wps_portal", "partners", "activities", "casestudies"}


def timeout() -> int:
    return int(getattr(settings, "COUNT_CACHE_SECONDS", 300))


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def bump(*_args, **_kwargs) -> None:
    """Make every cached count stale (called after a write commits)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted): start one above any cached before
        cache.set(GENERATION_KEY, generation() + 1, timeout=None)


def key(*parts) -> str:
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    return f"wps:{generation()}:{digest}"


def in_snapshot() -> bool:
    """Whether this request reads one snapshot (REPEATABLE READ on PostgreSQL: see
    ``wps_portal.security.ConsistentReadMiddleware``). A count cached by another request may come
    from another snapshot, so such a request neither reads nor writes the cache: the generation
    lives in the cache, outside the database's snapshots, and cannot tell them apart."""
    return any(getattr(c, "wps_snapshot", False) for c in connections.all(initialized_only=True))


def cached(parts: tuple, compute: Callable[[], object]):
    """``compute()``, or the value cached for ``parts`` in the current generation."""
    if in_snapshot():
        return compute()
    cache_key = key(*parts)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout=timeout())
    return value


def _after_commit() -> None:
    """Bump once when the current transaction commits (at once outside one), however many rows
    it writes: a load of thousands of records registers one callback, not thousands."""
    connection = transaction.get_connection()
    if any(entry[1] is bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(bump, robust=True)


def changed() -> None:
    """A write that no signal reports (bulk SQL, the search index): stale once it commits."""
    _after_commit()


def _is_portal_model(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.app_label in PORTAL_APPS


def _on_signal(sender, **kwargs):
    if _is_portal_model(sender) or (
        kwargs.get("instance") is not None and _is_portal_model(type(kwargs["instance"]))
    ):
        _after_commit()


def connect() -> None:
    """Register the invalidation (called once, from the app's ``ready()``)."""
    from . import services

    services.on_write(lambda written: bump())  # services already defers its hooks to the commit
    post_save.connect(_on_signal, dispatch_uid="wps_cache_post_save")
    post_delete.connect(_on_signal, dispatch_uid="wps_cache_post_delete")
    m2m_changed.connect(_on_signal, dispatch_uid="wps_cache_m2m_changed")


def query_key(queryset) -> str:
    """The SQL of ``queryset``, to key a cached result on; a queryset that can match nothing (e.g.
    ``pk__in=[]``, which a search with no hits gives) has no SQL and is keyed as such."""
    try:
        return str(queryset.query)
    except EmptyResultSet:
        return "(matches nothing)"


class CachedCountPaginator(Paginator):
    """A paginator whose count (a COUNT over every matching row) is cached per query, in the
    current generation: the same filters on any page, from any client, count once per write.

    A search's list in relevance order (``search_rank`` first) is paged in the ranking's order,
    whatever the number of matches: the matching ids in one query (which also counts them), then
    the page's rows (``wps_portal.search.engine.rank_ids``)."""

    @cached_property
    def _ranked_ids(self):
        from .search import engine

        if engine.ranked_order(self.object_list) is None:
            return None
        return engine.rank_ids(self.object_list)

    @cached_property
    def count(self):
        if self._ranked_ids is not None:
            return len(self._ranked_ids)
        query = getattr(self.object_list, "query", None)
        if query is None:
            return Paginator.count.func(self)
        return cached(("count", query_key(self.object_list)), lambda: Paginator.count.func(self))

    def page(self, number):
        if self._ranked_ids is None:
            return super().page(number)
        from .search import engine

        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self._ranked_ids[bottom:top]
        return self._get_page(engine.in_ranked_order(self.object_list, ids), number, self)
