"""The one write path: every way into the registry (admin, API, loader, import) writes through here.

Entry points open a :func:`writing` context that says who is writing, through which path and why;
inside it they call :func:`save`, :func:`delete` or :func:`update` (a bulk change of a queryset),
or report records they wrote by other means with :func:`changed`. This layer then does, once for
every path, what a write implies: validation, the search text of the record and of the records
whose search text includes it (a partner's aliases), and the hooks other parts of the portal
register with :func:`on_write` (caches), run when the transaction commits.

History (``wps_portal.history``, django-simple-history) records every save and delete of a curated
model, wherever it comes from, with the context's ``via``, ``user`` and ``reason``; so an entry
point needs only to open :func:`writing` once. :func:`update` writes its history rows in bulk.
Publishing and unpublishing are checked here too (:func:`check_status_change`).
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
    ACTION = "action"  # a bulk action on a list of records (publish, unpublish)
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


def is_writing() -> bool:
    """Whether the caller is inside a :func:`writing` block (its reads go to the primary)."""
    return _context.get() is not None


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


PUBLISH_PERMISSION = "wps_portal.publish_record"


def check_status_change(old: str | None, new: str) -> None:
    """Publishing and unpublishing are a Reviewer's (``wps_portal.publish_record``).

    ``old`` is the stored status (None for a new record, which starts as a draft). A change of
    status by a user without the permission is refused with a ValidationError on ``status``; the
    admin's forms and the API call this before saving. Writes with no user in their context (the
    loader, an import command, the shell) are not a person's and are not checked.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .choices import Status

    user = current().user
    if user is None or old == new or (old is None and new == Status.DRAFT):
        return
    if not user.has_perm(PUBLISH_PERMISSION):
        raise ValidationError(
            {
                "status": _(
                    "Only a Reviewer can publish or unpublish a record: save it as %(status)s and "
                    "ask a Reviewer to review it."
                )
                % {"status": Status(old or Status.DRAFT).label.lower()}
            }
        )


def save(instance: models.Model, *, validate: bool = True, exclude: Iterable[str] = ()) -> models.Model:
    """Validate (unless told not to) and save one record, then do what a write implies.

    A record with translated content gets its generated translations first (Serbian Latin from
    Serbian Cyrillic, with the same status: ``wps_portal.translations``)."""
    sync_generated = getattr(instance, "sync_generated", None)
    if sync_generated is not None:
        sync_generated()
    if validate:
        instance.full_clean(exclude=list(exclude) or None)
    with transaction.atomic():
        instance.save()
        changed(instance)
    return instance


def delete(instance: models.Model) -> None:
    from .search.index import indexed_models, remove_record

    owners = _search_owners(instance, include_self=False)
    model, pk = type(instance), instance.pk
    written = {model, *(type(o) for o in owners)}
    with transaction.atomic():
        instance.delete()
        if model in indexed_models():
            remove_record(model, pk)
        pending = _batch.get()
        if pending is not None:
            pending.update(written)
            return
        _refresh(owners)
        _after_commit(written)


def update(queryset: models.QuerySet, **values) -> int:
    """A bulk change of every record of ``queryset`` (e.g. publish), through the same layer.

    Records whose values already are ``values`` are left alone (publishing a published record is
    no change). The others are changed with one bulk UPDATE and one bulk INSERT of their
    historical rows (simple-history's ``bulk_update_with_history``), stamped with the write
    context, so a bulk change costs a fixed number of queries and still leaves one history row per
    record changed. Nothing here saves record by record: no model ``save()`` logic runs.
    """
    from simple_history.utils import bulk_update_with_history

    from .history import has_history
    from .search import refresh_search_text

    model = queryset.model
    unchanged = models.Q(**{name: value for name, value in values.items() if name not in ("updated",)})
    with transaction.atomic():
        records = list(queryset.exclude(unchanged))
        for record in records:
            for name, value in values.items():
                setattr(record, name, value)
        if not records:
            return 0
        if has_history(model):
            context = current()
            bulk_update_with_history(
                records,
                model,
                list(values),
                default_user=context.user if getattr(context.user, "is_authenticated", False) else None,
                default_change_reason=context.reason,
                custom_historical_attrs={"via": context.via},
            )
        else:
            model._default_manager.filter(pk__in=[r.pk for r in records]).update(**values)
        pending = _batch.get()
        if pending is not None:  # refreshed once when the batch ends (the loader's unpublishing)
            pending.add(model)
        else:
            refresh_search_text([model], pks=[r.pk for r in records])
            _after_commit({model})
    return len(records)


def changed(*instances: models.Model) -> None:
    """Report records already written (e.g. by a formset or a bulk insert)."""
    owners: list[models.Model] = []
    for instance in instances:
        owners.extend(_search_owners(instance, include_self=True))
    written = {type(i) for i in instances} | {type(o) for o in owners}
    pending = _batch.get()
    if pending is not None:
        pending.update(written)
        return
    _refresh(owners)
    _after_commit(written)


_batch: contextvars.ContextVar[set | None] = contextvars.ContextVar("wps_write_batch", default=None)


@contextmanager
def batch():
    """Many writes as one: inside the block, :func:`save`, :func:`changed` and :func:`delete` note
    which kinds of record were written, and on leaving it the search text of those kinds is
    refreshed once (only the stale rows are written) and the hooks run once. For the corpus
    loader, which writes hundreds of records in one transaction."""
    if _batch.get() is not None:
        yield
        return
    written: set[type[models.Model]] = set()
    token = _batch.set(written)
    try:
        yield
    finally:
        _batch.reset(token)
    from .models import PublicModel
    from .search import refresh_search_text

    searchable = [m for m in written if issubclass(m, PublicModel)]
    if searchable:
        refresh_search_text(searchable)
    if written:
        _after_commit(written)


def bulk_changed(written: Iterable[type[models.Model]]) -> None:
    """Report a bulk insert or update of records of these models whose search text the caller
    wrote itself (e.g. the synthetic seed): only the write hooks run."""
    _after_commit(set(written))


def _search_owners(instance: models.Model, *, include_self: bool) -> list[models.Model]:
    """The public records whose search text includes ``instance``: itself, and its public parents."""
    from .models import PublicModel
    from .search.index import indexed_models

    indexed = tuple(indexed_models())
    owners = [instance] if include_self and isinstance(instance, indexed) else []
    for field in instance._meta.concrete_fields:
        if field.many_to_one and issubclass(field.related_model, PublicModel):
            parent = getattr(instance, field.name, None)
            if parent is not None and parent.pk is not None:
                owners.append(parent)
    # A citation's excerpt is searched with the record it supports (a result's, with its case study).
    record = getattr(instance, "record", None) if hasattr(type(instance), "record") else None
    if isinstance(record, models.Model):
        owners.extend([record] if isinstance(record, indexed) else _search_owners(record, include_self=False))
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
