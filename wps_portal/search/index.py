"""Keeping the search index fresh: one ``SearchEntry`` per searchable record, and the vocabulary.

Every write path reaches here: ``services`` calls ``record.refresh_search_text()`` (→
:func:`index_record`) for a record it wrote and for the records whose search text includes it; the
loader and bulk changes call :func:`refresh_search_text`; ``manage.py rebuild_search_index``
rebuilds everything.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.constants import LOOKUP_SEP

from .. import cache
from .text import fold, index_tokens

WEIGHTS = ("A", "B", "C", "D")


def searchable_models():
    """The public records (every PublicModel): what curators publish and cite."""
    from ..models import PublicModel

    return [m for m in apps.get_models() if issubclass(m, PublicModel)]


def indexed_models():
    """Every kind of record the search box finds: the public records, and the source documents."""
    from ..models import SourceDocument

    return [*searchable_models(), SourceDocument]


def public_queryset(model):
    """The records of ``model`` the public may find (the one published-only rule, per kind)."""
    manager = model._default_manager
    return manager.published() if hasattr(manager, "published") else manager.all()


def document(instance) -> dict:
    """The index entry's values for ``instance``."""
    parts = instance.search_parts()
    columns, vocabulary = {}, []
    for weight in WEIGHTS:
        texts = [str(t) for t in parts.get(weight, ()) if t]
        columns[weight.lower()] = " ".join(" ".join(index_tokens(t)) for t in texts)
        vocabulary.extend(fold(" ".join(texts)).split())
    codes = sorted(set(instance.search_countries()))
    shown = [*parts.get("C", ()), *parts.get("D", ()), *list(parts.get("A", ()))[1:]]
    return {
        **columns,
        "text": "\n".join(" ".join(str(t).split()) for t in shown if t),
        "words": " ".join(sorted(set(vocabulary))),
        "year": instance.search_year(),
        "countries": f" {' '.join(codes)} " if codes else "",
    }


def flat_text(instance) -> str:
    """The record's ``search_text``: all its searchable texts folded, most important first."""
    parts = instance.search_parts()
    return fold(" ".join(str(t) for w in WEIGHTS for t in parts.get(w, ()) if t))


def _has_search_text(model) -> bool:
    return any(f.name == "search_text" for f in model._meta.concrete_fields)


def index_record(instance) -> None:
    """Re-index one record (after an edit)."""
    from ..models import SearchEntry

    model = type(instance)
    values = document(instance)
    content_type = ContentType.objects.get_for_model(model)
    with transaction.atomic():
        if _has_search_text(model):
            instance.search_text = flat_text(instance)
            model._default_manager.filter(pk=instance.pk).update(search_text=instance.search_text)
        SearchEntry.objects.update_or_create(
            content_type=content_type, object_id=instance.pk, defaults=values
        )
        if public_queryset(model).filter(pk=instance.pk).exists():
            _add_words(values["words"].split())


def remove_record(model, pk) -> None:
    from ..models import SearchEntry

    SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=pk).delete()


def refresh_search_text(models=None, pks=None) -> int:
    """Re-index every record of ``models`` (default: every searchable kind) where it is stale, drop
    entries of records that no longer exist, and rebuild the vocabulary. Returns how many records
    changed. With ``pks`` (a bulk change of those records of the one model given), only they are
    re-indexed: publishing ten of 200,000 activities reads ten, not 200,000."""
    from ..models import SearchEntry

    changed = 0
    for model in models or indexed_models():
        if model not in indexed_models():
            continue
        content_type = ContentType.objects.get_for_model(model)
        entries = SearchEntry.objects.filter(content_type=content_type)
        queryset = with_related(model._default_manager.all(), getattr(model, "search_prefetch", ()))
        with_text = _has_search_text(model)
        with transaction.atomic():
            for chunk in _chunks(queryset) if pks is None else _chunks_of(queryset, pks):
                # Written chunk by chunk: memory stays one chunk's records (200,000 activities
                # with their participants held at once took 6 GB).
                stale_text, new, updated = [], [], []
                existing = {
                    row["object_id"]: row
                    for row in entries.filter(object_id__in=[r.pk for r in chunk]).values(
                        "id", "object_id", *values_fields()
                    )
                }
                for instance in chunk:
                    if with_text:
                        text = flat_text(instance)
                        if instance.search_text != text:
                            instance.search_text = text
                            stale_text.append(instance)
                    values = document(instance)
                    row = existing.pop(instance.pk, None)
                    if row is None:
                        new.append(SearchEntry(content_type=content_type, object_id=instance.pk, **values))
                    elif any(row[k] != v for k, v in values.items()):
                        updated.append(
                            SearchEntry(
                                id=row["id"], content_type=content_type, object_id=instance.pk, **values
                            )
                        )
                if stale_text:
                    model._default_manager.bulk_update(stale_text, ["search_text"], batch_size=200)
                SearchEntry.objects.bulk_create(new, batch_size=200)
                SearchEntry.objects.bulk_update(updated, [*values_fields()], batch_size=200)
                changed += len({*(e.object_id for e in new), *(e.object_id for e in updated)})
            # entries of records that no longer exist
            if pks is None:
                orphans, _ = entries.exclude(object_id__in=model._default_manager.values("pk")).delete()
                changed += orphans
    rebuild_vocabulary()
    if changed:
        cache.changed()  # cached rankings read the index
    return changed


def _chunks(queryset, size: int = 500):
    """``queryset``'s records in lists of ``size`` by primary key, each list with its prefetches:
    the caller may write to the records between lists (a cursor left open over a table being
    written is unsafe on SQLite)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _chunks_of(queryset, pks, size: int = 500):
    """The records of ``queryset`` with these primary keys, in lists of ``size`` (see _chunks)."""
    pks = sorted(set(pks))
    for start in range(0, len(pks), size):
        yield list(queryset.filter(pk__in=pks[start : start + size]).order_by("pk"))


def with_related(queryset, lookups):
    """``queryset`` fetching the related records of ``lookups`` (a model's ``search_prefetch``),
    joining each many-to-one step instead of prefetching it: a forward foreign key is
    ``select_related``, and ``participations__partner`` is the participations prefetched with their
    partner joined. Django 5.2 prefetches a foreign key with a tuple lookup that SQLite spells as
    one ``id = %s OR …`` per row, and 500 activities' participants (about 1,000 partners) pass
    SQLite's limit of 1,000 nested expressions ("Expression tree is too large")."""
    model = queryset.model
    joined, prefetched = [], []
    for lookup in lookups:
        first, _, rest = lookup.partition(LOOKUP_SEP)
        field = model._meta.get_field(first)
        if field.many_to_one and not rest:
            joined.append(first)
        elif rest and field.one_to_many and LOOKUP_SEP not in rest:
            related = field.related_model
            if related._meta.get_field(rest).many_to_one:
                prefetched.append(Prefetch(first, queryset=related._default_manager.select_related(rest)))
                continue
            prefetched.append(lookup)
        else:
            prefetched.append(lookup)
    return queryset.select_related(*joined).prefetch_related(*prefetched)


def values_fields():
    return ("a", "b", "c", "d", "text", "words", "year", "countries")


def rebuild_vocabulary() -> int:
    """The vocabulary from the index entries of the records the public may find."""
    from ..models import SearchEntry, SearchWord

    counts: Counter[str] = Counter()
    for model in indexed_models():
        content_type = ContentType.objects.get_for_model(model)
        rows = SearchEntry.objects.filter(
            content_type=content_type, object_id__in=public_queryset(model).values("pk")
        ).values_list("words", flat=True)
        for words in rows.iterator(chunk_size=2000):
            counts.update(words.split())
    from .text import stem

    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            [SearchWord(word=w[:100], stem=stem(w)[:100], records=n) for w, n in counts.items()],
            batch_size=1000,
        )
    return len(counts)


def _add_words(words: list[str]) -> None:
    from ..models import SearchWord
    from .text import stem

    if not words:
        return
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    SearchWord.objects.bulk_create(
        [SearchWord(word=w[:100], stem=stem(w)[:100], records=1) for w in set(words) - known],
        ignore_conflicts=True,
    )
