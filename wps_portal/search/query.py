"""Reading a query as people type it: words, "quoted phrases", -excluded words, OR between words,
stop words, the thesaurus. Pure Python, no database: see ``engine`` for what is done with it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import index_tokens, stem, words
from .thesaurus import thesaurus

# A query keeps at most this many terms, each word cut to this many characters: each term adds a
# condition and a rank term, and hundreds of them would overflow the SQL compiler while finding
# nothing more.
MAX_TERMS = 12
MAX_TERM_LENGTH = 60

_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(eq=False)
class Term:
    """One thing the query asks for: any of its alternatives (each a sequence of stems; more than
    one stem is a phrase) may match."""

    label: str  # as the user wrote it (folded)
    alternatives: list[tuple[str, ...]]
    quoted: bool = False
    completable: bool = False  # the last word typed: it may be the start of a longer word
    corrected: list[str] = field(default_factory=list)  # vocabulary words a typo was read as
    found: bool = True  # False when neither the word nor a correction is in the vocabulary

    @property
    def single_stems(self) -> list[str]:
        return [alt[0] for alt in self.alternatives if len(alt) == 1]


@dataclass
class ParsedQuery:
    terms: list[Term]
    excluded: list[Term]
    text: str

    def __bool__(self):
        return bool(self.terms)


def _word_term(folded: list[str], start: int) -> tuple[Term, int]:
    """The term starting at folded[start]: a thesaurus entry (longest first) or one word."""
    match = thesaurus().expansions([stem(w) for w in folded], start)
    if match:
        length, group = match
        typed = tuple(stem(w) for w in folded[start : start + length])
        return Term(
            " ".join(folded[start : start + length]), [typed, *(g for g in group if g != typed)]
        ), length
    word = folded[start][:MAX_TERM_LENGTH]
    return Term(word, [(stem(word),)]), 1


def parse(query: str) -> ParsedQuery:
    """The terms of ``query``; stop words are dropped unless the query has nothing else."""
    query = (query or "").strip()
    pieces = []  # (kind, negative, folded words): kind "phrase", "words" or "or"
    for match in _PIECE.finditer(query):
        negative, phrase, bare = match.groups()
        if phrase is not None:
            folded = words(phrase)
            if folded:
                pieces.append(("phrase", bool(negative), folded))
        elif bare == "OR" or bare == "|":
            pieces.append(("or", False, []))
        else:
            is_negative = bare.startswith("-") and len(bare) > 1
            folded = words(bare[1:] if is_negative else bare)
            if folded:
                pieces.append(("words", is_negative, folded))
    stop = thesaurus().stop_words
    terms: list[Term] = []
    excluded: list[Term] = []
    join_next = False
    # Consecutive plain words are read together, so a thesaurus phrase ("training of trainers")
    # is recognised across them.
    run: list[str] = []

    def flush_run(last_piece: bool):  # the words typed so far, as terms
        nonlocal join_next
        i = 0
        while i < len(run):
            term, length = _word_term(run, i)
            i += length
            if last_piece and i == len(run) and length == 1 and not query.endswith(" "):
                term.completable = True
            if join_next and terms:
                terms[-1].alternatives.extend(a for a in term.alternatives if a not in terms[-1].alternatives)
                terms[-1].label += f" OR {term.label}"
                terms[-1].completable = terms[-1].completable or term.completable
                join_next = False
            else:
                terms.append(term)
        run.clear()

    for kind, negative, folded in pieces:
        if kind == "or":
            flush_run(False)
            join_next = bool(terms)
            continue
        if kind == "words" and not negative:
            run.extend(folded)
            continue
        flush_run(False)
        term = Term(" ".join(folded), [tuple(index_tokens(" ".join(folded)))], quoted=kind == "phrase")
        if negative:
            excluded.append(term)
        elif join_next and terms:
            terms[-1].alternatives.append(term.alternatives[0])
            terms[-1].label += f" OR {term.label}"
            join_next = False
        else:
            terms.append(term)
    flush_run(True)

    meaningful = [t for t in terms if t.quoted or t.label not in stop or " OR " in t.label]
    if meaningful:
        terms = meaningful
    unique: list[Term] = []
    for term in terms:
        if all(term.alternatives != other.alternatives for other in unique):
            unique.append(term)
    return ParsedQuery(unique[:MAX_TERMS], excluded[:MAX_TERMS], query)


def terms(query: str) -> list[str]:
    """The labels of the terms of a query (empty when the query asks for nothing)."""
    return [term.label for term in parse(query).terms]
