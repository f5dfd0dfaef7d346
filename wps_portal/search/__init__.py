"""Search: one engine for the search page, the list pages' ``q`` and the API's ``q``/``search``.

- ``text``: the normalisation both sides share (Cyrillic → Latin, accents and Albanian letters
  folded, English stems).
- ``thesaurus``: stop words and groups of equivalent words, from ``fixtures/search/thesaurus.yaml``.
- ``query``: reading a query (phrases, ``-word``, ``OR``).
- ``index``: one ``SearchEntry`` per record with weighted columns, kept fresh on every write.
- ``engine``: matching and ranking on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank_cd).
- ``snippets``: the highlighted passage shown with each hit.
"""

from .index import indexed_models, refresh_search_text, searchable_models
from .query import MAX_TERM_LENGTH, MAX_TERMS, parse, terms
from .text import fold, normalise

__all__ = [
    "MAX_TERMS",
    "MAX_TERM_LENGTH",
    "fold",
    "indexed_models",
    "normalise",
    "parse",
    "refresh_search_text",
    "searchable_models",
    "terms",
]
