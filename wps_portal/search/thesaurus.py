"""The curated thesaurus: groups of words and phrases that mean the same to a searcher, and the
stop words a question may contain. Kept as reviewable data in ``fixtures/search/thesaurus.yaml``
(not a record kind: ``load_corpus`` does not read it), applied to the query only, so a change to
it needs no re-index.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from .text import index_tokens, words


class ThesaurusError(ValueError):
    pass


@dataclass(frozen=True)
class Thesaurus:
    stop_words: frozenset[str]
    # the stems of an entry -> the group's entries, each as a tuple of stems (so "officers"
    # finds the entry "police officer")
    groups: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    longest: int

    def expansions(self, stems: list[str], start: int) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
        """The longest entry starting at ``stems[start]``: (its length in words, the group)."""
        for length in range(min(self.longest, len(stems) - start), 0, -1):
            group = self.groups.get(tuple(stems[start : start + length]))
            if group:
                return length, group
        return None


def thesaurus_path() -> Path:
    return Path(
        getattr(settings, "SEARCH_THESAURUS", Path(settings.CORPUS_DIR) / "search" / "thesaurus.yaml")
    )


def parse(data, source: str = "thesaurus.yaml") -> Thesaurus:
    if not isinstance(data, dict):
        raise ThesaurusError(f"{source}: expected a mapping with stop_words and groups")
    unknown = set(data) - {"stop_words", "groups"}
    if unknown:
        raise ThesaurusError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}")
    stop_words = frozenset(w for entry in data.get("stop_words") or [] for w in words(str(entry)))
    groups: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for index, group in enumerate(data.get("groups") or [], start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise ThesaurusError(f"{source}: group {index} must be a list of at least two entries")
        entries = set()
        for entry in group:
            stems = tuple(index_tokens(str(entry)))
            if not stems:
                raise ThesaurusError(f"{source}: group {index} has an empty entry")
            entries.add(stems)
        for stems in entries:
            groups.setdefault(stems, set()).update(entries)
    frozen = {key: tuple(sorted(value)) for key, value in groups.items()}
    return Thesaurus(stop_words, frozen, max((len(k) for k in frozen), default=1))


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Thesaurus:
    with open(path, encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle), source=path)


def thesaurus() -> Thesaurus:
    path = thesaurus_path()
    if not path.exists():
        return Thesaurus(frozenset(), {}, 1)
    return _load(str(path), path.stat().st_mtime)
