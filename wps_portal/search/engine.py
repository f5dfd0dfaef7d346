"""Matching and ranking: one ranked list across every kind of record.

A query (``query.parse``) is resolved against the vocabulary (one query: the word being typed is
completed, a word no record holds is read as the nearest vocabulary words by trigram similarity),
then matched by the database's full-text engine in one query returning every matching record
with a flag per term and a relevance score:

- SQLite: the FTS5 table ``wps_portal_searchentry_fts`` (``bm25`` with column weights 10/5/2/1).
- PostgreSQL: the weighted tsvector column ``search_vector`` (GIN index; ``ts_rank_cd``).

A record must match at least half the terms (all quoted phrases, none of the ``-excluded``); records
are ordered by the share of the query they match, each term weighted by its rarity, then by the
score. Tokens are made in Python on both sides, so both databases find the same records; only
their scores differ.

The search page asks for a bounded answer (``run(…, narrow=Narrow(…))``). Up to
``SEARCH_EXACT_LIMIT`` candidate matches (the whole corpus, always) it is the exact answer above. A
broader query (at 200,000 activities "Kosovo women's network" is a candidate in 101,565 records)
is answered as search engines answer it (Meilisearch's ``maxTotalHits``, Elasticsearch's
``track_total_hits``): the records that match every word are counted exactly, by kind, year and
country, in the index; and the listed hits are the best of a bounded set of candidates, taken
from the index tier by tier, strongest evidence first (the whole query as a phrase in a name or
title; every word in names or titles; every word with one in a name or title; every word; then the
rarest words in names or titles; the rarest words anywhere), at most ``BROAD_CANDIDATES`` per tier
(see :func:`_tiers` for which the database scores), then ranked as above with a score computed
in Python (:func:`candidate_rows`). See :func:`run`.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.functions import Length

from ..migration_operations import SQLITE_VOCABULARY_TRIGRAMS
from .index import indexed_models, public_queryset
from .query import ParsedQuery, Term, parse
from .text import similarity, trigrams

FTS_TABLE = "wps_portal_searchentry_fts"
# SQLite: (id, content_type_id, object_id) apart from the entry's long texts, which come before
# content_type_id in the row: deciding whether a match is of the kinds searched reads this index,
# not the row (a one-kind search among 25,389 matches of every kind: 41 → 12 ms at 200,000 records).
KIND_INDEX = "wps_portal_searchentry_kind"
SQLITE_WEIGHTS = (10.0, 5.0, 2.0, 1.0)  # bm25 weights of columns a, b, c, d
PG_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"  # ts_rank_cd weights of D, C, B, A
COMPLETIONS = 12  # words a prefix may stand for
CORRECTIONS = 3  # vocabulary words a typo may stand for
CORRECTED_TERMS = 4  # unknown words looked up for corrections (one query each), the rest are reported
MIN_SIMILARITY = 0.3  # pg_trgm's default threshold
MIN_SIMILARITY_SHORT = 0.5  # for words of four letters or fewer, where 0.3 is one shared letter
RANK_LIMIT = 2000  # SQL's CASE for relevance as a later sort key (a first key ranks every match)
BROAD_CANDIDATES = 200  # per tier, on the broad path (``exact_limit``): up to 6 tiers, 1,200 records
BROAD_SCORED = 3000  # complete matches the database may score to choose the best of them


def exact_limit() -> int:
    """Candidate matches above which the search page's answer is bounded (see the module docstring)."""
    return int(getattr(settings, "SEARCH_EXACT_LIMIT", 2000))


@dataclass
class Hit:
    model: type
    pk: int
    entry: int
    coverage: float
    score: float
    complete: bool
    year: int | None
    countries: list[str]
    record: object = None


@dataclass(frozen=True)
class Narrow:
    """The search page's filters. On the broad path they narrow the candidates in SQL; the caller
    still applies them to the hits (on the exact path it counts every hit under each of them)."""

    model: type | None = None
    country: str = ""
    year: int | None = None

    def sql(self, alias: str) -> tuple[str, list]:
        clauses, params = [], []
        if self.model is not None:
            clauses.append(f"{alias}.content_type_id = %s")
            params.append(ContentType.objects.get_for_model(self.model).pk)
        if self.country:
            clauses.append(f"{alias}.countries LIKE %s")  # stored as " XK RS "
            params.append(f"% {self.country} %")
        if self.year is not None:
            clauses.append(f"{alias}.year = %s")
            params.append(self.year)
        return "".join(f" AND {c}" for c in clauses), params


@dataclass
class Group:
    """How many records of one kind, year and set of countries match every word (broad path)."""

    model: type
    year: int | None
    countries: list[str]
    count: int


@dataclass
class Outcome:
    parsed: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # terms no record holds
    corrections: dict[str, list[str]] = field(default_factory=dict)  # typed -> read as
    # The broad path (see the module docstring): ``hits`` are the best candidates, and ``groups``
    # count every record that matches every word, whatever the filters.
    broad: bool = False
    groups: list[Group] = field(default_factory=list)

    @property
    def complete(self) -> int:
        if self.broad:
            return sum(g.count for g in self.groups)
        return sum(1 for h in self.hits if h.complete)

    def suggestion(self) -> str:
        """A looser query: the words that matched, each replaced by its correction."""
        parts = []
        for term in self.parsed.terms:
            if term.label in self.corrections:
                parts.append(self.corrections[term.label][0])
            elif term.found:
                parts.append(f'"{term.label}"' if term.quoted else term.label)
        return " ".join(parts)


# -- the vocabulary ---------------------------------------------------------------------------


def resolve(parsed: ParsedQuery, outcome: Outcome) -> None:
    """Complete the last word, correct unknown words, and weigh each term by its rarity."""
    from ..models import SearchWord

    stems = {s for t in parsed.terms + parsed.excluded for a in t.alternatives for s in a}
    completable = [t for t in parsed.terms if t.completable and len(t.label) >= 2]
    condition = models.Q(stem__in=stems)
    for term in completable:
        condition |= models.Q(word__startswith=term.label)
    rows = list(SearchWord.objects.filter(condition).values_list("word", "stem", "records"))
    records = Counter()
    for _word, word_stem, count in rows:
        records[word_stem] = max(records[word_stem], count)
    for term in completable:
        if term.single_stems and any(s in records for s in term.single_stems):
            continue  # a whole word already
        started = sorted((r for r in rows if r[0].startswith(term.label)), key=lambda r: (-r[2], r[0]))
        for _word, word_stem, _count in started[:COMPLETIONS]:
            if (word_stem,) not in term.alternatives:
                term.alternatives.append((word_stem,))
    unknown = [
        t
        for t in parsed.terms
        if not t.quoted and not any(all(s in records for s in alt) for alt in t.alternatives)
    ]
    if unknown:
        looked_up = correct(unknown[:CORRECTED_TERMS])
        for term in unknown:
            candidates = looked_up.get(term, [])
            if candidates:
                outcome.corrections[term.label] = [w for w, _s, _c in candidates]
                term.corrected = [w for w, _s, _c in candidates]
                for _word, word_stem, count in candidates:
                    records[word_stem] = max(records[word_stem], count)
                    if (word_stem,) not in term.alternatives:
                        term.alternatives.append((word_stem,))
            else:
                term.found = False
                outcome.unmatched.append(term.label)
    for term in parsed.terms:
        found = [min((records.get(s, 0) for s in alt), default=0) for alt in term.alternatives]
        term.records = max(found, default=0)


def correct(terms: list[Term]) -> dict[Term, list[tuple[str, str, int]]]:
    """For each term, the vocabulary words most like it (trigram similarity ≥ 0.3), best first."""
    from ..models import SearchWord
    from .thesaurus import thesaurus

    result = {}
    stop_words = thesaurus().stop_words
    use_trgm = trigram_extension()
    for term in terms:
        word = term.label.split(" OR ")[-1].replace(" ", "")
        if len(word) < 3:
            result[term] = []
            continue
        if use_trgm:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT word, stem, records, similarity(word, %s) AS s FROM {SearchWord._meta.db_table} "
                    "WHERE word %% %s ORDER BY s DESC, records DESC, word LIMIT 50",
                    [word, word],
                )
                rows = [(w, st, n, s) for w, st, n, s in cursor.fetchall() if s >= MIN_SIMILARITY]
        else:
            near = SearchWord.objects.annotate(length=Length("word")).filter(
                length__gte=max(1, len(word) - 3), length__lte=len(word) + 3
            )
            if connection.vendor == "sqlite":
                near = near.filter(id__in=sharing_trigrams(word))
            near = near.values_list("word", "stem", "records")
            rows = [(w, st, n, similarity(word, w)) for w, st, n in near.iterator(chunk_size=5000)]
            rows = [r for r in rows if r[3] >= MIN_SIMILARITY]
        # Never a stop word ("pec" is not "per"); short words need a closer match.
        floor = MIN_SIMILARITY_SHORT if len(word) <= 4 else MIN_SIMILARITY
        rows = [r for r in rows if r[3] >= floor and r[0] not in stop_words]
        # The same order on both databases: the similarity as pg_trgm computes it (float4), then
        # how common the word is, then the word.
        rows.sort(key=lambda r: (-round(r[3], 5), -r[2], r[0]))
        best = rows[0][3] if rows else 0
        result[term] = [(w, st, n) for w, st, n, s in rows if s >= best - 0.05][:CORRECTIONS]
    return result


def sharing_trigrams(word: str):
    """SQLite: the ids of the vocabulary words that share two of pg_trgm's trigrams or more with
    ``word`` (three letters or more), from the trigram index (``CreateVocabularyTrigrams``). A
    word of three letters has four trigrams, so one shared trigram is a similarity of 1/7 at best:
    every word similar enough (0.3) shares two, and the answer is the same as measuring the whole
    vocabulary."""
    grams = sorted(trigrams(word))
    table = SQLITE_VOCABULARY_TRIGRAMS
    each = " UNION ALL ".join([f"SELECT rowid FROM {table} WHERE {table} MATCH %s"] * len(grams))
    return models.expressions.RawSQL(
        f"SELECT rowid FROM ({each}) GROUP BY rowid HAVING count(*) >= 2",
        ['"' + g.replace('"', '""') + '"' for g in grams],
    )


_trgm: dict[str, bool] = {}


def trigram_extension() -> bool:
    """Whether pg_trgm is installed in this PostgreSQL database (checked once per process)."""
    if connection.vendor != "postgresql":
        return False
    key = connection.settings_dict["NAME"]
    if key not in _trgm:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _trgm[key] = cursor.fetchone() is not None
    return _trgm[key]


# -- the full-text match ----------------------------------------------------------------------


def _fts5(term: Term, column: str = "") -> str:
    alternatives = "(" + " OR ".join('"' + " ".join(alt) + '"' for alt in term.alternatives) + ")"
    return f"{column} : {alternatives}" if column else alternatives


def _tsquery(term: Term, weight: str = "") -> str:
    label = f":{weight}" if weight else ""
    return "(" + " | ".join(" <-> ".join(f"'{s}'{label}" for s in alt) for alt in term.alternatives) + ")"


def _whole_phrase(terms: list[Term]) -> Term | None:
    """The query's words in order, as one phrase (an exact name or title ranks first)."""
    if len(terms) < 2 or any(t.quoted for t in terms):
        return None
    return Term("", [tuple(s for t in terms for s in t.alternatives[0])])


def _published_condition(kinds, restrict: bool, alias: str = "e", per_row: bool = False) -> tuple[str, list]:
    """SQL: the entry ``alias`` belongs to one of ``kinds`` and (if ``restrict``) is public.

    ``per_row``: PostgreSQL may answer the EXISTS by hashing every public id of the kind first
    (194,135 activities read, 300 ms, in each query that asks); where few entries are tested (the
    broad path) ``OFFSET 0`` keeps it a lookup by primary key per entry."""
    clauses, params = [], []
    for model in kinds:
        content_type = ContentType.objects.get_for_model(model)
        if restrict:
            # Per match, by primary key: an IN (every public id) would build a set of 200,000
            # activities on every search.
            public = (
                public_queryset(model)
                .order_by()
                .filter(pk=models.expressions.RawSQL(f"{alias}.object_id", []))
            )
            sql, sub = public.values("pk").query.get_compiler(connection=connection).as_sql()
            fence = " OFFSET 0" if per_row and connection.vendor == "postgresql" else ""
            clauses.append(f"({alias}.content_type_id = %s AND EXISTS ({sql}{fence}))")
            params.extend([content_type.pk, *sub])
        else:
            clauses.append(f"{alias}.content_type_id = %s")
            params.append(content_type.pk)
    return "(" + " OR ".join(clauses) + ")", params


class Flags:
    """Per term: whether it matches anywhere, in the names (A), in the titles (B); then whether the
    whole query matches as a phrase in a name or title. The databases' rule (a phrase is
    consecutive tokens within one column) applied in Python to the entry's columns: one full-text
    query per search instead of three per term."""

    def __init__(self, terms: list[Term], phrase: Term):
        # " a b " occurs in " ... " exactly when the tokens a, b are consecutive in the column.
        self.tests = [[f" {' '.join(alt)} " for alt in t.alternatives] for t in [*terms, phrase]]

    def __call__(self, a: str, b: str, c: str, d: str) -> list[bool]:
        names, titles, rest = f" {a} ", f" {b} ", f" {c} \n {d} "
        result = []
        for test in self.tests[:-1]:
            in_names = any(t in names for t in test)
            in_titles = any(t in titles for t in test)
            result.extend((in_names or in_titles or any(t in rest for t in test), in_names, in_titles))
        result.append(any(t in names or t in titles for t in self.tests[-1]))
        return result


def drivers(terms: list[Term]) -> list[Term]:
    """The terms a record must match one of to match enough of the query (see :func:`run`): of
    the n words found, a record needs ceil(n/2); one that matches none of the n - ceil(n/2) + 1
    rarest matches too few of the rest. So the full-text query asks for those only, and never for
    the word nearly every record holds ("women" at 200,000 records), whose matches would all be
    read and dropped. Every quoted phrase is needed: the rarest one alone is enough."""
    live = sorted((t for t in terms if t.found), key=lambda t: getattr(t, "records", 0))
    if not live:
        return terms
    quoted = [t for t in live if t.quoted]
    if quoted:
        return quoted[:1]
    return live[: len(live) - max(1, math.ceil(len(live) / 2)) + 1]


def match(
    parsed: ParsedQuery, kinds, restrict: bool = True, candidates: list[int] | None = None
) -> list[tuple]:
    """[(entry id, content_type_id, object_id, year, countries, score, flags...)] of every record that
    matches one of the :func:`drivers` and no excluded term (of the ``candidates`` entries only,
    when given); higher scores are better. See :class:`Flags`."""
    entries = "wps_portal_searchentry"
    terms = [t for t in parsed.terms if t.alternatives]
    needed = drivers(terms)
    phrase = _whole_phrase(terms) or terms[0]
    columns = "e.id, e.content_type_id, e.object_id, e.year, e.countries"
    if connection.vendor == "sqlite":
        # The kind (and public) test on the narrow index, the texts and bm25 only for what passes;
        # CROSS JOIN keeps that order (the planner would read the long row first).
        where, params = _published_condition(kinds, restrict, alias="k")
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        sql = (
            f"SELECT {columns}, -bm25({FTS_TABLE}, {weights}), e.a, e.b, e.c, e.d FROM {FTS_TABLE} "
            f"CROSS JOIN {entries} k INDEXED BY {KIND_INDEX} ON k.id = {FTS_TABLE}.rowid "
            f"CROSS JOIN {entries} e ON e.id = k.id WHERE {FTS_TABLE} MATCH %s AND {where}"
        )
        args = [" OR ".join(_fts5(t) for t in needed)] + params
        if parsed.excluded:
            sql += f" AND k.id NOT IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
            args.append(" OR ".join(_fts5(t) for t in parsed.excluded))
    else:
        where, params = _published_condition(kinds, restrict)
        sql = (
            f"SELECT {columns}, ts_rank_cd('{PG_WEIGHTS}', e.search_vector, to_tsquery('simple', %s), 1), "
            f"e.a, e.b, e.c, e.d FROM {entries} e "
            f"WHERE e.search_vector @@ to_tsquery('simple', %s) AND {where}"
        )
        everything = " | ".join(_tsquery(t) for t in needed)
        args = [everything, everything] + params
        if parsed.excluded:
            sql += " AND NOT e.search_vector @@ to_tsquery('simple', %s)"
            args.append(" | ".join(_tsquery(t) for t in parsed.excluded))
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        flags = Flags(terms, phrase)
        return [(*row[:6], *flags(*row[6:])) for row in cursor.fetchall()]


# -- the broad path ---------------------------------------------------------------------------


class Syntax:
    """Boolean full-text expressions in the database's own language: FTS5's query syntax on
    SQLite, a tsquery on PostgreSQL. A condition of the broad path is a list of clauses
    ``(names?, expression)``, all required: ``names`` limits the clause to names and titles —
    on SQLite a column filter on columns a and b inside the one MATCH expression; on PostgreSQL
    the entry's ``names_vector`` (weights A and B only, with its own GIN index: a weight label
    on ``search_vector`` would make PostgreSQL re-read every match's whole vector)."""

    def __init__(self):
        self.sqlite = connection.vendor == "sqlite"
        self.OR, self.AND = (" OR ", " AND ") if self.sqlite else (" | ", " & ")

    def term(self, term: Term, names: bool = False) -> str:
        return _fts5(term, "{a b}" if names else "") if self.sqlite else _tsquery(term)

    def any(self, terms, names: bool = False) -> str:
        return "(" + self.OR.join(self.term(t, names) for t in terms) + ")"

    def all(self, terms, names: bool = False) -> str:
        return "(" + self.AND.join(self.term(t, names) for t in terms) + ")"

    def matching(self, clauses, excluded, where: str) -> tuple[str, list]:
        """(FROM … WHERE, params) for the entries (alias k) matching every clause and no excluded
        term, and ``where``."""
        if self.sqlite:
            expression = " AND ".join(e for _names, e in clauses)
            if excluded:
                expression = f"({expression}) NOT {self.any(excluded)}"
            sql = (
                f"FROM {FTS_TABLE} CROSS JOIN wps_portal_searchentry k INDEXED BY {KIND_INDEX} "
                f"ON k.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s AND {where}"
            )
            return sql, [expression]
        tests = [f"k.{_vector(names)} @@ to_tsquery('simple', %s)" for names, _e in clauses]
        params = [e for _names, e in clauses]
        if excluded:
            tests.append("NOT k.search_vector @@ to_tsquery('simple', %s)")
            params.append(self.any(excluded))
        return f"FROM wps_portal_searchentry k WHERE {' AND '.join(tests)} AND {where}", params

    def score(self, clauses) -> tuple[str, list]:
        """ORDER BY the database's score of the first clause, best first."""
        if self.sqlite:
            return f"{FTS_TABLE}.rank", []
        names, expression = clauses[0]
        return f"ts_rank_cd('{PG_WEIGHTS}', k.{_vector(names)}, to_tsquery('simple', %s), 1) DESC", [
            expression
        ]


def _vector(names: bool) -> str:
    return "names_vector" if names else "search_vector"


def candidates_at_most(parsed: ParsedQuery, limit: int) -> int:
    """How many entries match one of the :func:`drivers`, counted up to ``limit`` + 1 (the index
    alone: no kind, no publication, no score)."""
    terms = [t for t in parsed.terms if t.alternatives]
    syntax = Syntax()
    expression = syntax.any(drivers(terms))
    if connection.vendor == "sqlite":
        sql = f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
    else:
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM wps_portal_searchentry "
            "WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s) AS matches"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, limit + 1])
        return cursor.fetchone()[0]


def _tiers(syntax: Syntax, terms: list[Term], complete: int) -> list[tuple[list, bool]]:
    """The broad path's candidate tiers, strongest evidence first: (clauses, scored by the
    database?). Scoring reads every match of the tier, so it is asked of the tiers of names and
    titles, which are few, and of the complete matches when there are at most BROAD_SCORED of
    them; the rest are taken newest first (scoring 15,000 matches of one word would cost more
    than the whole search). Complete matches that fit in one tier are taken whole."""
    live = [t for t in terms if t.found]
    every = (False, syntax.all(live))
    if complete <= BROAD_CANDIDATES:
        tiers = [([every], False)]
    else:
        phrase = _whole_phrase(terms)
        tiers = [([(True, syntax.term(phrase, names=True))], True)] if phrase is not None else []
        tiers.append(([(True, syntax.all(live, names=True))], True))
        if complete <= BROAD_SCORED:
            tiers.append(([every], True))
        else:
            tiers += [([(True, syntax.any(live, names=True)), every], False), ([every], False)]
    needed, quoted = drivers(terms), [t for t in live if t.quoted]
    for names in (True, False):
        partial = [(names, syntax.any(needed, names=names))]
        tiers.append((partial + [(False, syntax.all(quoted))] if quoted else partial, False))
    return tiers


def _broad(parsed: ParsedQuery, kinds, restrict: bool, narrow: Narrow) -> tuple[list[Group], list[int]]:
    """The broad path's two queries: every record matching every word, counted by kind, year and
    countries; and the candidates, tier by tier (the module docstring)."""
    terms = [t for t in parsed.terms if t.alternatives]
    live = [t for t in terms if t.found]
    if not live:
        return [], []
    syntax = Syntax()
    where, params = _published_condition(kinds, restrict, alias="k", per_row=True)
    narrowed, narrow_params = narrow.sql("k")
    by_type = {ContentType.objects.get_for_model(m).pk: m for m in kinds}
    with connection.cursor() as cursor:
        sql, match_params = syntax.matching([(False, syntax.all(live))], parsed.excluded, where)
        cursor.execute(
            f"SELECT k.content_type_id, k.year, k.countries, count(*) {sql} GROUP BY 1, 2, 3",
            [*match_params, *params],
        )
        groups = [Group(by_type[ct], year, (countries or "").split(), n) for ct, year, countries, n in cursor]
        newest = f"{FTS_TABLE}.rowid DESC" if syntax.sqlite else "k.id DESC"
        sql, args = [], []
        for clauses, scored in _tiers(syntax, terms, sum(g.count for g in groups)):
            matching, match_params = syntax.matching(clauses, parsed.excluded, where + narrowed)
            order, order_params = syntax.score(clauses) if scored else (newest, [])
            sql.append(f"SELECT id FROM (SELECT k.id AS id {matching} ORDER BY {order} LIMIT %s) AS t")
            args += [*match_params, *params, *narrow_params, *order_params, BROAD_CANDIDATES]
        cursor.execute(" UNION ALL ".join(sql), args)
        candidates = list(dict.fromkeys(row[0] for row in cursor))
    return groups, candidates


def weight(term: Term) -> float:
    """How much a term weighs in a query: the rarer (the fewer records hold it), the more."""
    return 1 / math.log(2 + getattr(term, "records", 0))


def candidate_rows(candidates: list[int], terms: list[Term]) -> list[tuple]:
    """The broad path's rows, as :func:`match` gives them, of the ``candidates`` entries: read by
    primary key (asking the full-text index again would read every match of the query: 130 ms
    at 200,000 activities), and scored in Python, BM25F-like: each term's occurrences weighted
    by column (``SQLITE_WEIGHTS``), saturated, and weighted by the term's rarity. On both
    databases the same."""
    from ..models import SearchEntry

    rows = SearchEntry.objects.filter(id__in=id_set(candidates)).values_list(
        "id", "content_type_id", "object_id", "year", "countries", "a", "b", "c", "d"
    )
    flags = Flags(terms, _whole_phrase(terms) or terms[0])
    rarity = [weight(t) for t in terms]
    result = []
    for *head, a, b, c, d in rows:
        columns = [f" {a} ", f" {b} ", f" {c} ", f" {d} "]
        score = 0.0
        for rare, tests in zip(rarity, flags.tests[:-1], strict=True):
            occurrences = sum(
                w * col.count(t) for w, col in zip(SQLITE_WEIGHTS, columns, strict=True) for t in tests
            )
            score += rare * occurrences / (occurrences + 1.2)
        result.append((*head, score, *flags(a, b, c, d)))
    return result


def run(query: str, kinds=None, restrict: bool = True, narrow: Narrow | None = None) -> Outcome:
    """Every record matching ``query``, best first (see the module docstring). With ``narrow`` (the
    search page), a query with more than :func:`exact_limit` candidate matches takes the broad
    path: ``outcome.broad``, the best candidates as ``hits`` and every complete match counted in
    ``outcome.groups``."""
    parsed = parse(query)
    outcome = Outcome(parsed)
    if not parsed:
        return outcome
    resolve(parsed, outcome)
    terms = [t for t in parsed.terms if t.alternatives]
    kinds = list(kinds or indexed_models())
    candidates = None
    if narrow is not None and candidates_at_most(parsed, exact_limit()) > exact_limit():
        outcome.broad = True
        outcome.groups, candidates = _broad(parsed, kinds, restrict, narrow)
    rows = match(parsed, kinds, restrict) if candidates is None else candidate_rows(candidates, terms)
    by_type = {ContentType.objects.get_for_model(m).pk: m for m in kinds}
    live = [i for i, t in enumerate(terms) if t.found]
    weights = [weight(t) for t in terms]
    needed = max(1, math.ceil(len(live) / 2))
    order = {m: i for i, m in enumerate(kinds)}
    total = sum(weights[i] for i in live) or 1
    best = max((float(r[5] or 0) for r in rows), default=0) or 1
    for entry, content_type_id, object_id, year, countries, score, *flags in rows:
        anywhere, in_names, in_titles = flags[0:-1:3], flags[1:-1:3], flags[2:-1:3]
        matched = [i for i in live if anywhere[i]]
        if len(matched) < needed or any(terms[i].quoted and not anywhere[i] for i in live):
            continue
        coverage = sum(weights[i] for i in matched) / total
        names = sum(weights[i] for i in live if in_names[i]) / total
        titles = sum(weights[i] for i in live if in_titles[i]) / total
        # A blend within each group (every word matched first, then the rest): how much of the
        # query matched, how much of it in a name or a title, the whole query as a name or title,
        # and the database's own score relative to the best.
        relevance = 4 * coverage + 3 * names + 2 * titles + 2 * bool(flags[-1]) + float(score or 0) / best
        outcome.hits.append(
            Hit(
                model=by_type[content_type_id],
                pk=object_id,
                entry=entry,
                coverage=round(coverage, 6),
                score=round(relevance, 6),
                complete=len(matched) == len(live),
                year=year,
                countries=(countries or "").split(),
            )
        )
    outcome.hits.sort(key=lambda h: (not h.complete, -h.score, order[h.model], h.pk))
    return outcome


class SearchRank(models.Expression):
    """The ``search_rank`` alias: the position of each record in the engine's ranking (0 is best),
    carrying the whole ranking in ``ranked`` (every match, however many).

    Where the rank is the first sort key (a search's default order, ``ordering=relevance``), the
    paginators and the CSV export order the rows by ``ranked`` in Python (see
    :func:`ranked_order`): a page costs one query for the matching ids and one for its rows,
    whatever the number of matches, and SQL never sees the rank. Where relevance is a later sort
    key (``ordering=type,relevance``) SQL orders by ``CASE id WHEN … END`` over the first
    ``RANK_LIMIT`` ids (ties beyond them fall back to the primary key), written when the query is
    compiled: an alias, not a selected column, and no ``When`` per match built on every search."""

    def __init__(self, ranked: list[int], pk=None):
        super().__init__(output_field=models.IntegerField())
        self.ranked = ranked
        self.pk = pk

    def get_source_expressions(self):
        return [self.pk] if self.pk is not None else []

    def set_source_expressions(self, exprs):
        if exprs:
            (self.pk,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.pk = models.F("pk").resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        head = self.ranked[:RANK_LIMIT]
        if not head:
            return "%s", [0]
        pk_sql, pk_params = compiler.compile(self.pk)
        whens = " ".join(["WHEN %s THEN %s"] * len(head))
        params = [value for i, pk in enumerate(head) for value in (pk, i)]
        return f"CASE {pk_sql} {whens} ELSE %s END", [*pk_params, *params, len(head)]


def ranked_order(queryset) -> tuple[list[int], bool] | None:
    """(the ranked ids, reversed?) when ``queryset`` is ordered by ``search_rank`` first, else None."""
    query = getattr(queryset, "query", None)
    if query is None or not query.order_by:
        return None
    first = query.order_by[0]
    if not isinstance(first, str) or first.lstrip("-") != "search_rank":
        return None
    rank = query.annotations.get("search_rank")
    if not isinstance(rank, SearchRank):
        return None
    return rank.ranked, first.startswith("-")


def rank_ids(queryset) -> list[int]:
    """The ids of ``queryset`` (ordered by ``search_rank`` first) in rank order: one query for the
    ids the other filters keep, the order from the ranking."""
    ranked, descending = ranked_order(queryset)
    kept = set(queryset.order_by().values_list("pk", flat=True))
    ids = [pk for pk in ranked if pk in kept]
    return ids[::-1] if descending else ids


def in_ranked_order(queryset, ids: list[int]) -> list:
    """The records of ``queryset`` with these ids (one query, with its prefetches), in that order."""
    by_pk = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def id_set(ids: list[int]):
    """``pk__in`` for many ids as one parameter (a JSON array on SQLite, an array on PostgreSQL):
    a search matching 50,000 records is not 50,000 placeholders in every count and facet query."""
    if connection.vendor == "sqlite":
        return models.expressions.RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    if connection.vendor == "postgresql":
        return models.expressions.RawSQL("SELECT unnest(%s::integer[])", [ids])
    return ids


def ranking(model, query: str) -> list[int] | None:
    """The ids of ``model``'s records matching ``query``, best first (None: nothing to search).

    Kept in the shared cache in the registry's generation (``wps_portal.cache``: every write,
    the index's own included, makes it stale): the next page of the same search, its CSV and
    its facet counts rank once, not once per request."""
    from .. import cache

    return cache.cached(("search ranking", model._meta.label, query), lambda: _ranking(model, query))


def _ranking(model, query: str) -> list[int] | None:
    outcome = run(query, kinds=[model], restrict=False)
    if not outcome.parsed:
        return None
    return [hit.pk for hit in outcome.hits]


def filter_queryset(queryset, query: str, ranked: list[int] | None = None):
    """``queryset`` narrowed to the records matching ``query``, annotated ``search_rank`` (0 best).
    ``ranked`` is :func:`ranking`'s answer when the caller already has it (a FilterSet applies
    the same search to its list and to each facet's count: the engine runs once)."""
    if ranked is None:
        ranked = ranking(queryset.model, query)
    if ranked is None:
        return queryset
    matching = queryset.filter(pk__in=id_set(ranked)) if ranked else queryset.none()
    return matching.alias(search_rank=SearchRank(ranked)).order_by("search_rank", "pk")
