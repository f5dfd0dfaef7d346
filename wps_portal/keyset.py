"""Keyset (cursor) pagination: a page is the rows *after* (or before) the last row seen, in the
list's order, so page 4,000 costs what page 1 costs (no OFFSET walking the rows before it).

A cursor is an opaque token: the sort key values of the row it points at, the direction, and a
fingerprint of the order it belongs to (a cursor made under ``?ordering=title`` is refused under
``?ordering=-start``). The order must be total (every list's ends with the primary key:
``filtersets.in_total_order``); NULLs sort where the database puts them (or where the order
says: ``nulls_last``), and the condition spells that out, so a row with no date is neither
repeated nor skipped.

A search's relevance order (``search_rank`` first) is ranked in Python, not by a column: its
cursor holds the position in the ranking instead (``wps_portal.search.engine.rank_ids``).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, OrderBy, Q


class InvalidCursor(ValueError):
    pass


@dataclass
class Key:
    """One sort key: a field path, its direction and where its NULLs go."""

    field: str
    descending: bool
    nulls_last: bool  # in the order as read (after reversing, if reversed)
    nullable: bool


def sort_keys(queryset) -> list[Key]:
    """The queryset's order as keys (strings like ``-title`` and ``F(...).asc(nulls_last=True)``)."""
    query = queryset.query
    ordering = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    vendor = connections[queryset.db].vendor
    keys = []
    for item in ordering:
        if isinstance(item, str):
            descending = item.startswith("-")
            name = item.lstrip("-")
            explicit = None
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, name = item.descending, item.expression.name
            explicit = True if item.nulls_last else (False if item.nulls_first else None)
        else:
            raise InvalidCursor(f"the order {item!r} cannot be paged by cursor")
        if name == "pk":
            name = queryset.model._meta.pk.name
        if name in query.annotations:
            # An annotation (``ordering=-date,relevance``: the search rank as a later key); its
            # NULLs are spelt out in the condition like a nullable column's.
            nullable = True
        else:
            nullable = bool(getattr(_field(queryset.model, name), "null", False))
        if explicit is None:
            # SQLite puts NULLs first in ascending order, PostgreSQL last.
            nulls_large = vendor == "postgresql"
            explicit = nulls_large != descending
        keys.append(Key(name, descending, explicit, nullable))
    if not keys or keys[-1].field != queryset.model._meta.pk.name:
        raise InvalidCursor("the order is not total (it must end with the primary key)")
    return keys


def _field(model, path):
    field = None
    for part in path.split("__"):
        if field is not None and field.is_relation:
            model = field.related_model
        field = model._meta.get_field(part)
    return field


def fingerprint(keys: list[Key]) -> str:
    text = ",".join(f"{'-' if k.descending else ''}{k.field}{'~' if k.nulls_last else ''}" for k in keys)
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def encode(payload: dict) -> str:
    raw = json.dumps(payload, separators=(",", ":"), default=_json_default).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str) -> dict:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("not a cursor this API gave") from error
    if not isinstance(payload, dict):
        raise InvalidCursor("not a cursor this API gave")
    return payload


def _json_default(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _after(key: Key, value, forward: bool) -> Q | None:
    """Rows strictly after ``value`` on this key, in the direction read (None: there are none)."""
    descending = key.descending != (not forward)
    nulls_last = key.nulls_last if forward else not key.nulls_last
    if value is None:
        # Only non-NULL values can follow a NULL, when NULLs come first.
        return None if nulls_last else Q(**{f"{key.field}__isnull": False})
    condition = Q(**{f"{key.field}__{'lt' if descending else 'gt'}": value})
    if key.nullable and nulls_last:
        condition |= Q(**{f"{key.field}__isnull": True})
    return condition


def _equal(key: Key, value) -> Q:
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def seek(queryset, keys: list[Key], values: list, forward: bool = True) -> Q:
    """The condition "after the row with these key values" (before it if not ``forward``)."""
    condition = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        after = _after(key, value, forward)
        if after is not None:
            condition |= prefix & after
        prefix &= _equal(key, value)
    return condition


def reversed_order(keys: list[Key]) -> list:
    """The order read backwards (NULLs move to the other end too)."""
    order = []
    for k in keys:
        expression = F(k.field).asc if k.descending else F(k.field).desc
        if k.nullable:
            order.append(expression(nulls_first=True) if k.nulls_last else expression(nulls_last=True))
        else:
            order.append(expression())
    return order


def key_values(queryset, keys: list[Key], pk) -> list:
    """The sort key values of the row ``pk`` (one query: the page's rows may be ``only("pk")``)."""
    annotations = queryset.query.annotations
    if any(k.field in annotations for k in keys):
        # an annotation or alias (the search rank) is read from the list it was made for; an
        # alias is selected under another name
        source = queryset.order_by()
        names = [f"_key_{i}" if k.field in annotations else k.field for i, k in enumerate(keys)]
        source = source.annotate(
            **{name: F(k.field) for name, k in zip(names, keys, strict=True) if k.field in annotations}
        )
    else:
        source, names = queryset.model._default_manager.using(queryset.db), [k.field for k in keys]
    row = source.filter(pk=pk).values_list(*names)
    found = list(row[:1])
    if not found:
        raise InvalidCursor("the row this cursor points at no longer exists")
    return list(found[0])


@dataclass
class CursorPage:
    rows: list
    next: str | None  # cursor tokens
    previous: str | None


def page(queryset, token: str | None, size: int) -> CursorPage:
    """The page after (or before) ``token``'s row; the first page when ``token`` is empty."""
    from .search import engine

    payload = decode(token) if token else {}
    if engine.ranked_order(queryset) is not None:
        return _ranked_page(queryset, payload, size)
    try:
        keys = sort_keys(queryset)
    except InvalidCursor:
        raise
    if payload and payload.get("f") != fingerprint(keys):
        raise InvalidCursor("it was made for another order; start again without it")
    forward = payload.get("d", "n") == "n"
    values = payload.get("v")
    selected = queryset
    if payload:
        if not isinstance(values, list) or len(values) != len(keys):
            raise InvalidCursor("not a cursor this API gave")
        selected = queryset.filter(seek(queryset, keys, values, forward))
    if not forward:
        selected = selected.order_by(*reversed_order(keys))
    rows = list(selected[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return CursorPage([], None, None)
    fp = fingerprint(keys)
    has_next = more if forward else bool(payload)
    has_previous = bool(payload) if forward else more
    first = key_values(queryset, keys, rows[0].pk) if has_previous else None
    last = key_values(queryset, keys, rows[-1].pk) if has_next else None
    return CursorPage(
        rows,
        encode({"f": fp, "d": "n", "v": last}) if has_next else None,
        encode({"f": fp, "d": "p", "v": first}) if has_previous else None,
    )


def _ranked_page(queryset, payload, size) -> CursorPage:
    from .search import engine

    offset = payload.get("o", 0) if payload else 0
    if not isinstance(offset, int) or offset < 0 or (payload and payload.get("f") != "rank"):
        raise InvalidCursor("not a cursor this API gave")
    ids = engine.rank_ids(queryset)
    rows = engine.in_ranked_order(queryset, ids[offset : offset + size])
    return CursorPage(
        rows,
        encode({"f": "rank", "o": offset + size}) if offset + size < len(ids) else None,
        encode({"f": "rank", "o": max(0, offset - size)}) if offset > 0 else None,
    )
