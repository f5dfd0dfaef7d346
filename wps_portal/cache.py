"""Counts and facet counts kept in the shared cache (``django.core.cache``), invalidated by writes.

Every cached value's key carries the registry's *generation*, a number in the same cache that
every write increments: a write makes every cached count unreachable at once (they expire on their
own), with no list of keys to keep. Writes reach :func:`bump` by two paths:

- the one write path: a hook registered with ``services.on_write`` (bulk changes, the loader, the
  seed…);
- a safety net for writes that bypass it: ``post_save``, ``post_delete`` and ``m2m_changed`` of any
  of the portal's models (admin inlines, a shell, a data migration).

Both run when the transaction commits, so a reader never caches a count of uncommitted rows under
the new generation. A request that reads one snapshot (PostgreSQL) keys its values on a generation
kept in the database instead, moved by triggers in the writing transaction (see below).

With Redis as the cache (``REDIS_URL``) every worker and command shares the
generation; with the default per-process memory cache, a write in another process shows once
entries expire (``COUNT_CACHE_SECONDS``, default 300).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
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


def key(*parts, generation_seen: str | None = None) -> str:
    """The cache key of ``parts`` in the cache's generation (or in ``generation_seen``)."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    return f"wps:{generation() if generation_seen is None else generation_seen}:{digest}"


def snapshot_connection():
    """The connection this request reads one snapshot on (REPEATABLE READ on PostgreSQL: see
    ``wps_portal.security.ConsistentReadMiddleware``), or None."""
    return next(
        (c for c in connections.all(initialized_only=True) if getattr(c, "wps_snapshot", False)), None
    )


# -- the generation inside PostgreSQL, for requests that read one snapshot ----------------------
#
# A count cached by a request that read another snapshot may not agree with this one's rows, and
# the generation in the cache cannot tell snapshots apart. So PostgreSQL keeps a generation of its
# own, in a one-row table that a statement-level trigger on every table of the portal's models
# moves inside the writing transaction (raw SQL and bulk updates included; see
# install_db_generation for the lock it takes): two snapshots that read
# the same generation saw the same writes, and a value cached under it is right for both.

DB_GENERATION_TABLE = "wps_cache_generation"
DB_GENERATION_FUNCTION = "wps_cache_generation_bump"


def db_generation(connection) -> int | None:
    """The database's generation as this snapshot sees it (read once per snapshot), or None."""
    value = getattr(connection, "wps_db_generation", None)
    if value is None:
        with connection.cursor() as cursor:  # the table is made by every migrate (below)
            cursor.execute(f"SELECT n FROM {DB_GENERATION_TABLE} WHERE id = 1")
            row = cursor.fetchone()
        value = connection.wps_db_generation = row[0] if row else None
    return value


def install_db_generation(using: str = DEFAULT_DB_ALIAS, app_config=None, **_kwargs) -> None:
    """Create the generation table and a trigger on each table of the portal's models (after every
    ``migrate``: a new model's table gets its trigger with no migration written for it).

    The trigger runs *before* a transaction's first write statement takes any row lock, so every
    writing transaction locks the generation row first and none can hold a row another waits for
    while waiting for the generation itself (no deadlock). The price: the portal's writing
    transactions take turns (a curator's save waits for a running load to commit), which suits a
    curated registry's few writers."""
    connection = connections[using]
    if connection.vendor != "postgresql" or (app_config is not None and app_config.label != "wps_portal"):
        return  # post_migrate is sent once per app, after every app has migrated: once is enough
    tables = sorted(
        {
            model._meta.db_table
            for config in apps.get_app_configs()
            if config.label in PORTAL_APPS
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        & set(connection.introspection.table_names())
    )
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DB_GENERATION_TABLE} (id integer PRIMARY KEY, n bigint NOT NULL)"
        )
        cursor.execute(f"INSERT INTO {DB_GENERATION_TABLE} VALUES (1, 1) ON CONFLICT (id) DO NOTHING")
        # Once per transaction, however many statements it runs (a load writes thousands).
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {DB_GENERATION_FUNCTION}() RETURNS trigger AS $$ BEGIN "
            "IF current_setting('wps.generation_bumped', true) IS DISTINCT FROM txid_current()::text THEN "
            f"UPDATE {DB_GENERATION_TABLE} SET n = n + 1 WHERE id = 1; "
            "PERFORM set_config('wps.generation_bumped', txid_current()::text, true); "
            "END IF; RETURN NULL; END $$ LANGUAGE plpgsql"  # a statement trigger's result is ignored
        )
        for table in tables:
            name = connection.ops.quote_name(f"{table}_wps_generation"[:63])
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {connection.ops.quote_name(table)}")
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                f"{connection.ops.quote_name(table)} FOR EACH STATEMENT EXECUTE FUNCTION {DB_GENERATION_FUNCTION}()"
            )


def cached(parts: tuple, compute: Callable[[], object]):
    """``compute()``, or the value cached for ``parts`` in the current generation: the cache's,
    or, for a request reading one snapshot, the database's as that snapshot sees it."""
    snapshot = snapshot_connection()
    if snapshot is not None:
        generation_seen = db_generation(snapshot)
        if generation_seen is None:
            return compute()
        cache_key = key(*parts, generation_seen=f"db{generation_seen}")
    else:
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
    post_migrate.connect(install_db_generation, dispatch_uid="wps_cache_db_generation")
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
