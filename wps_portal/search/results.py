"""The search page's selector: one ranked list, tabs per kind with counts, country and year facets
(each counted with the other filters applied), snippets, and the empty state's explanations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import pgettext

from .. import languages
from ..translations import (
    TRANSLATED_LANGUAGES,
    TranslatedText,
    column,
    content_language,
    to_latin,
    translated,
    translated_fields,
)
from . import engine
from .snippets import best_snippet, highlight

MAX_QUERY_LENGTH = 500


@dataclass
class Kind:
    key: str
    model: type
    heading: str
    list_url: str
    related: tuple


def _kinds(searched) -> list[Kind]:
    kinds = []
    for label, heading, list_url, related in searched:
        model = apps.get_model(label)
        kinds.append(Kind(model._meta.model_name, model, heading, list_url, related))
    return kinds


def _link(params: QueryDict, **changes) -> str:
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = str(value)
    return "?" + query.urlencode()


def search_page(params: QueryDict, searched, page_size: int) -> dict:
    query = (params.get("q") or params.get("search") or "").strip()[:MAX_QUERY_LENGTH]
    kinds = _kinds(searched)
    by_model = {k.model: k for k in kinds}
    context = {"q": query, "searched": False, "total": 0, "kinds": kinds}
    kind = params.get("kind") if params.get("kind") in {k.key for k in kinds} else ""
    country = (params.get("country") or "").upper()
    year = params.get("year") if (params.get("year") or "").isdigit() else ""
    narrow = engine.Narrow(
        model=next((k.model for k in kinds if k.key == kind), None),
        country=country,
        year=int(year) if year and len(year) <= 4 else None,
    )
    outcome = engine.run(query, kinds=[k.model for k in kinds], narrow=narrow)
    if not outcome.parsed:
        return context
    base = QueryDict(mutable=True)
    base["q"] = query
    for name, value in (("kind", kind), ("country", country), ("year", year)):
        if value:
            base[name] = value

    def keep(hit, skip=""):
        """Whether a hit (or, on the broad path, a group of complete matches) passes the filters
        other than ``skip``."""
        return (
            (skip == "kind" or not kind or hit.model._meta.model_name == kind)
            and (skip == "country" or not country or country in hit.countries)
            and (skip == "year" or not year or str(hit.year) == year)
        )

    hits = [h for h in outcome.hits if keep(h)]
    # Every hit is counted; on the broad path, every record that matches every word (the groups).
    counted = [(g, g.count) for g in outcome.groups] if outcome.broad else [(h, 1) for h in outcome.hits]
    kind_counts, country_counts, year_counts = Counter(), Counter(), Counter()
    for item, n in counted:
        if keep(item, "kind"):
            kind_counts[item.model._meta.model_name] += n
        if keep(item, "country"):
            for code in item.countries:
                country_counts[code] += n
        if keep(item, "year") and item.year:
            year_counts[item.year] += n

    paginator = Paginator(hits, page_size)
    page = paginator.get_page(params.get("page"))
    texts = _attach_records(page.object_list, kinds)
    stems = {s for t in outcome.parsed.terms for alt in t.alternatives for s in alt}
    Country = apps.get_model("partners.Country")
    names = dict(Country.objects.values_list("code", "name"))
    results = [
        _result(hit, by_model[hit.model], stems, names, texts.get(hit.entry, ""))
        for hit in page.object_list
        if hit.record
    ]

    context.update(
        searched=True,
        total=len(hits),
        broad=outcome.broad,
        complete=(
            sum(n for g, n in counted if keep(g)) if outcome.broad else sum(1 for h in hits if h.complete)
        ),
        results=results,
        page_obj=page,
        tabs=[
            {
                "key": "",
                "heading": pgettext("search results of every kind", "All"),
                "count": sum(kind_counts.values()),
                "url": _link(base, kind=""),
                "selected": not kind,
            }
        ]  # fmt: skip
        + [
            {
                "key": k.key,
                "heading": k.heading,
                "count": kind_counts[k.key],
                "url": _link(base, kind=k.key),
                "selected": kind == k.key,
            }  # fmt: skip
            for k in kinds
            if kind_counts[k.key] or kind == k.key
        ],
        countries=[
            {
                "code": code,
                "name": names.get(code, code),
                "count": n,
                "selected": code == country,
                "url": _link(base, country="" if code == country else code),
            }  # fmt: skip
            for code, n in sorted(country_counts.items(), key=lambda item: (-item[1], item[0]))
        ],
        years=[
            {
                "year": y,
                "count": n,
                "selected": str(y) == year,
                "url": _link(base, year="" if str(y) == year else y),
            }
            for y, n in sorted(year_counts.items())
        ],
        filters=[
            (name, value, _link(base, **{name: ""}))
            for name, value in (("kind", kind), ("country", country), ("year", year))
            if value
        ],
        page_links={
            "previous": _link(base, page=page.previous_page_number()) if page.has_previous() else "",
            "next": _link(base, page=page.next_page_number()) if page.has_next() else "",
        },
        unmatched=outcome.unmatched,
        corrections=outcome.corrections,
        suggestion=outcome.suggestion() if (outcome.unmatched or not hits) else "",
        list_links=[
            (k.heading, f"{reverse(k.list_url)}?{_q(query)}")
            for k in kinds
            if k.list_url and kind_counts[k.key] and k.model.__name__ != "SourceDocument"
        ],
    )
    if context["suggestion"] and context["suggestion"] != query:
        context["suggestion_url"] = "?" + _q(context["suggestion"])
    return context


def _q(value: str) -> str:
    params = QueryDict(mutable=True)
    params["q"] = value
    return params.urlencode()


def _attach_records(hits, kinds) -> dict[int, str]:
    """Fetch the page's records and their snippet texts in a constant number of queries: one per
    kind (whether the page shows it or not) and one for the texts."""
    from ..models import SearchEntry

    found = {}
    for kind in kinds:
        ids = [hit.pk for hit in hits if hit.model is kind.model] or [0]
        for record in kind.model._default_manager.filter(pk__in=ids).select_related(*kind.related):
            found[(kind.model, record.pk)] = record
    for hit in hits:
        hit.record = found.get((hit.model, hit.pk))
    entries = [hit.entry for hit in hits] or [0]
    return dict(SearchEntry.objects.filter(id__in=entries).values_list("id", "text"))


def _result(hit, kind: Kind, stems, country_names, text: str) -> dict:
    record = hit.record
    title, title_lang = _title(record, kind)
    date = getattr(record, "dates_display", None) or getattr(record, "date_display", None) or hit.year or ""
    snippet, snippet_lang = _snippet(record, text, stems)
    return {
        "url": record.get_absolute_url(),
        "title": highlight(title, stems),
        "title_lang": title_lang,
        # An acronym that is the name ("UN Women") is not repeated after it (the title is highlighted).
        "acronym": "" if getattr(record, "acronym", "") == title else getattr(record, "acronym", ""),
        "kind": kind.model._meta.verbose_name,
        "kind_key": kind.key,
        "date": date,
        "countries": [country_names.get(c, c) for c in hit.countries],
        "snippet": snippet,
        "snippet_lang": snippet_lang,
        "partial": not hit.complete,
    }


def _title(record, kind: Kind) -> tuple[str, str]:
    """The hit's title in the page's language, and its ``lang`` attribute: as on the record's own
    page (``translated``), so a title shown in English on a page in another language says so."""
    field = next((f for f in ("name", "title") if getattr(record, f, None)), None)
    if field is None:  # a lesson with no title: "<case study>: lesson 2", in the page's language
        return str(record), ""
    shown = translated(record, field)
    # An organisation's name is a name, in the language it chose, not an English text: the
    # partner pages do not tag it either (its local names are its aliases, tagged with theirs).
    return shown.text, "" if kind.key == "partner" else shown.lang_attr


def _snippet(record, text: str, stems) -> tuple[str, str]:
    """The hit's snippet and its ``lang`` attribute. The record's search text (``SearchEntry.text``)
    holds its English texts and its translations, one a line; a line that is a translation is in
    that language (Serbian Cyrillic shown in Latin on a Serbian Latin page), any other in English.
    Lines in the page's language come first, so when nothing else matches better the reader's
    language is shown; the translations of the title are left out (the title is shown above)."""
    asked = content_language()
    of = {}  # translation, whitespace folded as in the search text → (language, field)
    for field in translated_fields(type(record)):
        for code in TRANSLATED_LANGUAGES:
            value = " ".join((getattr(record, column(field, code), "") or "").split())
            if value:
                of.setdefault(value, (code, field))
    lines = []
    for line in text.split("\n"):
        code, field = of.get(line, (languages.SOURCE_LANGUAGE, None))
        if field == "title":
            continue
        if languages.TRANSLITERATED.get(asked) == code:
            line, code = to_latin(line), asked
        lines.append((line, code))
    lines.sort(key=lambda line: line[1] != asked)  # stable: otherwise in the search text's order
    index, snippet = best_snippet([line for line, _code in lines], stems)
    if index is None:
        return snippet, ""
    return snippet, TranslatedText("", lines[index][1], None, asked).lang_attr
