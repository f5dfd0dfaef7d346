"""Search: one normalisation for what is indexed and what is asked.

Every public record keeps ``search_text``: its searchable texts (``search_parts()``) lower-cased
and stripped of diacritics ("Žene Ženama" -> "zene zenama"), so "zene zenama", "ŽENE" and "KWN"
find the same records on SQLite and on PostgreSQL alike. On PostgreSQL the column is also searched
with full-text search (a GIN index on its tsvector; see ``PublicQuerySet.search()`` and
``wps_portal.migration_operations``).
"""

from __future__ import annotations

import re
import unicodedata

from django.apps import apps

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Letters that do not decompose into base letter + accent.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation-free words separated by single spaces."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("'", "").replace("\u2019", "")
    return _NON_WORD.sub(" ", text).strip()


# A query keeps at most this many words, each cut to this many characters (a prefix of a word still
# finds it): each word adds a condition and a rank term, and hundreds of them overflow the SQL
# compiler's recursion (a 500) while finding nothing more.
MAX_TERMS = 12
MAX_TERM_LENGTH = 60


def terms(query: str) -> list[str]:
    """The normalised words of a query, in order, duplicates removed, at most MAX_TERMS of them."""
    seen = []
    for word in normalise(query).split():
        word = word[:MAX_TERM_LENGTH]
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def searchable_models():
    from .models import PublicModel

    return [m for m in apps.get_models() if issubclass(m, PublicModel)]


def document_for(instance) -> str:
    return normalise(" ".join(part for part in instance.search_parts() if part))


def refresh_search_text(models=None) -> int:
    """Recompute search_text where it is stale; returns how many records changed."""
    changed = 0
    for model in models or searchable_models():
        queryset = model._default_manager.all()
        prefetch = getattr(model, "search_prefetch", ())
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        stale = []
        for instance in queryset:
            document = document_for(instance)
            if instance.search_text != document:
                instance.search_text = document
                stale.append(instance)
        model._default_manager.bulk_update(stale, ["search_text"], batch_size=200)
        changed += len(stale)
    return changed
