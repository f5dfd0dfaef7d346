"""History of every curated record (django-simple-history), told who, how and why by the write path.

Each curated model declares ``history = curated_history()``. Every save and delete then leaves a
historical row with the record's field values, ``history_user``, ``history_change_reason`` and
``via`` (admin, api, loader, import, action, shell), all read from the write context that
``wps_portal.services.writing`` opened. Bulk changes go through ``services.update``, which writes
their rows with ``bulk_update_with_history``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

# Derived columns: recomputed from the rest on every write, so not worth a copy per version.
NOT_TRACKED = ("search_text",)
# Columns every version changes; hidden from diffs (they are in the row all the same).
NOT_DIFFED = ("created", "updated")


class WriteTrail(models.Model):
    """What simple-history does not record itself: the path a change came through."""

    via = models.CharField(_("via"), max_length=10, blank=True, db_index=True)

    class Meta:
        abstract = True


def _user_of_context(instance=None, request=None, **kwargs):
    from . import services

    user = services.current().user
    return user if getattr(user, "is_authenticated", False) else None


def curated_history(*, public: bool = False, **kwargs) -> HistoricalRecords:
    """The history every curated model keeps (see the module docstring); a public record's
    derived columns (``NOT_TRACKED``) are left out."""
    return HistoricalRecords(
        bases=[WriteTrail],
        get_user=_user_of_context,
        excluded_fields=list(NOT_TRACKED) if public else None,
        history_change_reason_field=models.TextField(null=True, blank=True),
        **kwargs,
    )


@receiver(pre_create_historical_record)
def _stamp_write_context(sender, history_instance, **kwargs):
    from . import services

    context = services.current()
    if isinstance(history_instance, WriteTrail):
        history_instance.via = context.via
    if not history_instance.history_change_reason and context.reason:
        history_instance.history_change_reason = context.reason


def has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def deleted_records(model) -> list:
    """The last historical row of each deleted record of ``model`` (not restored since), latest first."""
    live = model._default_manager.values("pk")
    rows = model.history.filter(history_type="-").exclude(**{f"{model._meta.pk.attname}__in": live})
    seen, result = set(), []
    for row in rows.select_related("history_user").order_by("-history_date", "-history_id"):
        if _pk(row) not in seen:
            seen.add(_pk(row))
            row.record_pk = _pk(row)
            result.append(row)
    return result


def _pk(row):
    return getattr(row, row.instance_type._meta.pk.attname)


# Children deleted with their parent (a cascade) are deleted just before it, in the same request.
CASCADE_WINDOW = datetime.timedelta(seconds=30)


def restore(model, history_id):
    """Bring a deleted record back as it was when deleted, with the children deleted with it
    (aliases, participations, citations…), through the write path (validated, with history)."""
    try:
        row = model.history.get(history_id=history_id, history_type="-")
    except (model.history.model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(_("There is no such deleted record.")) from None
    if model._default_manager.filter(pk=_pk(row)).exists():
        raise ValidationError(
            _("“%(record)s” exists already: it was restored before.") % {"record": row.instance}
        )
    with transaction.atomic():
        record = _restore_row(row)
        _restore_children(record, row.history_date)
    return record


def _restore_row(row):
    from . import services

    instance = row.instance
    instance._state.adding = True
    services.save(instance)
    _restore_links(instance, row)
    return instance


def _restore_links(instance, deletion):
    """Many-to-many links as the last version before the deletion had them (the deletion's own
    row has none: the links are gone by the time it is written). Targets deleted since are skipped."""
    fields = getattr(deletion, "_history_m2m_fields", ())
    if not fields:
        return
    before = (
        type(deletion)
        .objects.filter(**{"history_date__lte": deletion.history_date, _pk_name(deletion): _pk(deletion)})
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if before is None:
        return
    for field in fields:
        target = field.m2m_reverse_field_name()
        ids = getattr(before, field.name).values_list(f"{target}_id", flat=True)
        getattr(instance, field.name).set(field.related_model._default_manager.filter(pk__in=list(ids)))


def _pk_name(row):
    return row.instance_type._meta.pk.attname


def _restore_children(parent, deleted_at):
    from django.contrib.contenttypes.fields import GenericRelation
    from django.contrib.contenttypes.models import ContentType

    links = []
    for relation in parent._meta.related_objects:
        if relation.one_to_many and has_history(relation.related_model):
            links.append((relation.related_model, {relation.field.attname: parent.pk}))
    for field in parent._meta.private_fields:
        if isinstance(field, GenericRelation) and has_history(field.related_model):
            content_type = ContentType.objects.get_for_model(type(parent))
            links.append((field.related_model, {"content_type_id": content_type.pk, "object_id": parent.pk}))
    for child_model, condition in links:
        rows = child_model.history.filter(
            history_type="-", history_date__range=(deleted_at - CASCADE_WINDOW, deleted_at), **condition
        )
        live = set(child_model._default_manager.values_list("pk", flat=True).filter(**condition))
        for row in rows.order_by("history_date"):
            if _pk(row) not in live:
                live.add(_pk(row))
                child = _restore_row(row)
                _restore_children(child, row.history_date)
