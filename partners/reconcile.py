"""A reconciliation service for partners (W3C Entity Reconciliation API, version 0.2, as OpenRefine
speaks it): the service manifest, and for a batch of queries a ranked list of candidate partners.

Names are matched by the portal's search engine (``wps_portal.search``), so every spelling and
script the search handles is handled here: accents and Albanian letters folded, Serbian and
Macedonian Cyrillic read as Latin, acronyms and aliases (local-language names, former names),
stems, typos. Only published partners are candidates.

Scores run from 0 to 100. A name, acronym or alias equal to the query (after the search's
folding) scores 100; other candidates score the engine's relevance scaled to 0–90, in the engine's
order. Each ``properties`` constraint a candidate meets adds 5 (at most 100); a candidate that
contradicts any has its score halved (the Agency for Gender Equality asked for in BA is the
Bosnian one, not the Kosovo agency of exactly that name) and is never a ``match``. ``match`` is
true for the one candidate whose name equals the query and that contradicts no constraint, when
no other candidate's name also does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wps_portal.search import engine, fold

from .choices import AliasKind, PartnerKind
from .models import Country, Partner

VERSION = "0.2"
ANY_TYPE = "partner"  # the type of every candidate, whatever its kind
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_QUERIES = 50  # per request; OpenRefine sends 10 at a time
MAX_QUERY_LENGTH = 500
EXACT_SCORE = 100.0
RANKED_SCORE = 90.0  # the best score a candidate whose name is not the query can have
PROPERTY_BONUS = 5.0
CONTRADICTED_FACTOR = 0.5
# engine.run's relevance of a record matching every word, in its name, as a phrase, with the best
# database score (4 + 3 + 2 + 2 + 1): the scale of RANKED_SCORE.
MAX_RELEVANCE = 12.0
QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}
TYPE_STRICT = {"any", "should", "all"}
PROPERTIES = {
    "country": gettext_lazy("Country (ISO code such as XK, or name)"),
    "acronym": gettext_lazy("Acronym"),
}


class BadQuery(ValueError):
    """The ``queries`` parameter cannot be answered; the message says which query and why."""


def types() -> list[dict]:
    return [{"id": ANY_TYPE, "name": str(_("Partner (any kind)"))}] + [
        {"id": value, "name": str(label)} for value, label in PartnerKind.choices
    ]


def manifest(absolute) -> dict:
    """The service manifest; ``absolute`` makes a path a full URL."""
    partner_page = absolute(reverse("partners:detail", kwargs={"slug": "__id__"})).replace("__id__", "{{id}}")
    return {
        "versions": [VERSION],
        "name": str(_("WPS Portal partners")),
        "identifierSpace": absolute(reverse("partners:list")),
        "schemaSpace": "http://schema.org/Organization",
        "documentation": absolute(reverse("api:swagger-ui")),
        "defaultTypes": types(),
        "view": {"url": partner_page},
    }


@dataclass
class Query:
    key: str
    text: str
    kinds: set[str] | None  # None: any kind
    limit: int
    properties: list[tuple[str, list[str]]]


def parse(raw: str) -> list[Query]:
    """The ``queries`` parameter (a JSON object of query id → query) read and checked."""
    try:
        batch = json.loads(raw)
    except (TypeError, ValueError):
        raise BadQuery(_("Not JSON: send an object of query ids to queries.")) from None
    if not isinstance(batch, dict):
        raise BadQuery(_('Send an object of query ids to queries, e.g. {"q0": {"query": "…"}}.'))
    if len(batch) > MAX_QUERIES:
        raise BadQuery(
            ngettext("At most %(n)d query per request.", "At most %(n)d queries per request.", MAX_QUERIES)
            % {"n": MAX_QUERIES}
        )
    return [_query(key, value) for key, value in batch.items()]


def _query(key, value) -> Query:
    def bad(message, **values):
        return BadQuery(f"{key}: " + message % values)

    def known(given, allowed, message):
        unknown = sorted(set(given) - set(allowed))
        if unknown:
            raise bad(message, names=", ".join(unknown), allowed=", ".join(sorted(allowed)))

    if not isinstance(value, dict):
        raise bad(_("a query is an object with a query string."))
    known(value, QUERY_KEYS, _("unknown key(s) %(names)s; allowed: %(allowed)s."))
    strict = value.get("type_strict", "any")
    if strict not in TYPE_STRICT:
        raise bad(_("type_strict must be any, should or all."))
    text = value.get("query", "")
    if not isinstance(text, str):
        raise bad(_("query must be a string."))
    if len(text) > MAX_QUERY_LENGTH:
        raise bad(_("query is longer than %(n)d characters."), n=MAX_QUERY_LENGTH)
    if "query" not in value and not value.get("properties"):
        raise bad(_("a query needs query (a name) or properties."))

    limit = value.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise bad(_("limit must be a whole number from 1 to %(n)d."), n=MAX_LIMIT)

    kinds = value.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        allowed = {t["id"] for t in types()}
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise bad(_("type must be a type id or a list of them."))
        known(kinds, allowed, _("unknown type(s) %(names)s; allowed: %(allowed)s."))
        kinds = set(kinds)
        if ANY_TYPE in kinds or not kinds:
            kinds = None
        elif strict == "all" and len(kinds) > 1:
            kinds = set()  # a partner has one kind: none has them all

    properties = []
    given = value.get("properties", [])
    if not isinstance(given, list):
        raise bad(_("properties must be a list of {pid, v}."))
    for item in given:
        if not isinstance(item, dict) or set(item) != {"pid", "v"} or not isinstance(item["pid"], str):
            raise bad(_("each property is an object with exactly pid and v."))
        known([item["pid"]], PROPERTIES, _("unknown property %(names)s; allowed: %(allowed)s."))
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        texts = []
        for v in values:
            if isinstance(v, dict) and isinstance(v.get("id"), str):
                v = v["id"]
            if isinstance(v, bool) or not isinstance(v, (str, int, float)):
                raise bad(_("a property value is a string, a number or an object with an id."))
            texts.append(str(v))
        properties.append((item["pid"], texts))
    return Query(key=str(key), text=text.strip(), kinds=kinds, limit=limit, properties=properties)


# -- answering ----------------------------------------------------------------------------------------


def reconcile(queries: list[Query]) -> dict:
    """{query id: {"result": [candidate…]}} for each query, best candidate first."""
    hits = {q.key: engine.run(q.text, kinds=[Partner]).hits if q.text else [] for q in queries}
    ids = {hit.pk for found in hits.values() for hit in found}
    partners = {
        p.pk: p
        for p in Partner.objects.published()
        .filter(pk__in=ids)
        .select_related("country")
        .prefetch_related("aliases")
    }
    countries = (
        {c.code: fold(c.name) for c in Country.objects.all()} if any(q.properties for q in queries) else {}
    )
    return {q.key: {"result": _candidates(q, hits[q.key], partners, countries)} for q in queries}


def _names(partner) -> set[str]:
    names = {fold(partner.name), *(fold(a.name) for a in partner.aliases.all())}
    if partner.acronym:
        names.add(fold(partner.acronym))
    return names - {""}


def _meets(partner, pid: str, values: list[str], countries) -> bool:
    wanted = {fold(v) for v in values} - {""}
    if pid == "country":
        if partner.country is None:
            return False
        return bool(wanted & {fold(partner.country.code), countries.get(partner.country.code, "")})
    acronyms = {fold(partner.acronym)} | {
        fold(a.name) for a in partner.aliases.all() if a.kind == AliasKind.ACRONYM
    }
    return bool(wanted & (acronyms - {""}))


def _candidates(query: Query, hits, partners, countries) -> list[dict]:
    folded = fold(query.text)
    rows = []
    for order, hit in enumerate(hits):
        partner = partners.get(hit.pk)
        if partner is None or (query.kinds is not None and partner.kind not in query.kinds):
            continue
        exact = folded in _names(partner)
        score = (
            EXACT_SCORE if exact else round(RANKED_SCORE * min(hit.score, MAX_RELEVANCE) / MAX_RELEVANCE, 2)
        )
        features = [{"id": "name_exact", "value": exact}]
        contradicted = False
        for pid, values in query.properties:
            met = _meets(partner, pid, values, countries)
            features.append({"id": pid, "value": met})
            if met:
                score = min(EXACT_SCORE, score + PROPERTY_BONUS)
            else:
                contradicted = True
        if contradicted:
            score = round(score * CONTRADICTED_FACTOR, 2)
        rows.append((score, exact, -order, partner, features, contradicted))
    rows.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
    exact_rows = [r for r in rows if r[1]]
    rows = rows[: query.limit]
    result = []
    for score, exact, _order, partner, features, contradicted in rows:
        result.append(
            {
                "id": partner.slug,
                "name": partner.name,
                "description": _describe(partner),
                "score": score,
                "match": exact and not contradicted and len(exact_rows) == 1,
                "type": [{"id": partner.kind, "name": str(partner.get_kind_display())}],
                "features": features,
            }
        )
    return result


def _describe(partner) -> str:
    parts = [
        partner.acronym,
        str(partner.get_kind_display()),
        partner.country.name if partner.country else "",
    ]
    return " · ".join(p for p in parts if p)
