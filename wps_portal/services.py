"""The one write path: every way into the registry (admin, API, loader, import) writes through here.

Entry points open a :func:`writing` context that says who is writing, through which path and why;
inside it they call :func:`save`, :func:`delete` or :func:`update` (a bulk change of a queryset),
or report records they wrote by other means with :func:`changed`. This layer then does, once for
every path, what a write implies: validation, the search text of the record and of the records
whose search text includes it (a partner's aliases), and the hooks other parts of the portal
register with :func:`on_write` (history, caches), run when the transaction commits.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models, transaction


class Via:
    """The paths into the registry, recorded with every change."""

    ADMIN = "admin"
    API = "api"
    LOADER = "loader"
    IMPORT = "import"
    SHELL = "shell"


@dataclass(frozen=True)
class WriteContext:
    via: str = Via.SHELL
    user: object | None = None
    reason: str = ""


_DEFAULT = WriteContext()
_context: contextvars.ContextVar[WriteContext | None] = contextvars.ContextVar(
    "wps_write_context", default=None
)


@contextmanager
def writing(via: str, *, user=None, reason: str = ""):
    """Mark the writes made inside the block as coming from ``via`` (and ``user``, for ``reason``)."""
    token = _context.set(WriteContext(via=via, user=user, reason=reason))
    try:
        yield current()
    finally:
        _context.reset(token)


def current() -> WriteContext:
    """Who is writing now (``Via.SHELL`` outside any :func:`writing` block)."""
    return _context.get() or _DEFAULT


WriteHook = Callable[[set[type[models.Model]]], None]
_hooks: list[WriteHook] = []


def on_write(hook: WriteHook) -> WriteHook:
    """Register ``hook(models)``, called after a transaction that wrote records of ``models`` commits."""
    _hooks.append(hook)
    return hook


def _run_hooks(written: set[type[models.Model]]) -> None:
    for hook in _hooks:
        hook(written)


def save(instance: models.Model, *, validate: bool = True, exclude: Iterable[str] = ()) -> models.Model:
    """Validate (unless told not to) and save one record, then do what a write implies."""
    if validate:
        instance.full_clean(exclude=list(exclude) or None)
    with transaction.atomic():
        instance.save()
        changed(instance)
    return instance


def delete(instance: models.Model) -> None:
    owners = _search_owners(instance, include_self=False)
    model = type(instance)
    with transaction.atomic():
        instance.delete()
        _refresh(owners)
        _after_commit({model, *(type(o) for o in owners)})


def update(queryset: models.QuerySet, **values) -> int:
    """A bulk change of every record of ``queryset`` (e.g. publish), through the same layer."""
    from .search import refresh_search_text

    with transaction.atomic():
        count = queryset.update(**values)
        refresh_search_text([queryset.model])
        _after_commit({queryset.model})
    return count


def changed(*instances: models.Model) -> None:
    """Report records already written (e.g. by a formset or a bulk insert)."""
    owners: list[models.Model] = []
    for instance in instances:
        owners.extend(_search_owners(instance, include_self=True))
    _refresh(owners)
    _after_commit({type(i) for i in instances} | {type(o) for o in owners})


def bulk_changed(written: Iterable[type[models.Model]]) -> None:
    """Report a bulk insert or update of records of these models whose search text the caller
    wrote itself (e.g. the synthetic seed): only the write hooks run."""
    _after_commit(set(written))


def _search_owners(instance: models.Model, *, include_self: bool) -> list[models.Model]:
    """The public records whose search text includes ``instance``: itself, and its public parents."""
    from .models import PublicModel

    owners = [instance] if include_self and isinstance(instance, PublicModel) else []
    for field in instance._meta.concrete_fields:
        if field.many_to_one and issubclass(field.related_model, PublicModel):
            parent = getattr(instance, field.name, None)
            if parent is not None and parent.pk is not None:
                owners.append(parent)
    return owners


def _refresh(records: Iterable[models.Model]) -> None:
    seen = set()
    for record in records:
        key = (type(record), record.pk)
        if record.pk is None or key in seen:
            continue
        seen.add(key)
        record.refresh_search_text()


def _after_commit(written: set[type[models.Model]]) -> None:
    if _hooks:
        transaction.on_commit(lambda: _run_hooks(written))
