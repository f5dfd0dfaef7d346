"""The base FilterSet: one class per resource drives the HTML list (filter form, facet counts,
messages about ignored parameters) and the API's query parameters (400 on a bad value).

Conventions every FilterSet follows:
- ``q`` and ``search`` are the same free-text search; ``sort`` and ``ordering`` the same ordering.
- A facet with several values (``?country=XK&country=BA``) combines them with OR; different facets
  combine with AND.
- ``facets`` maps a parameter to the path of its value and label; ``facet_counts()`` counts the
  records per value with all the *other* filters applied, one GROUP BY query per facet.
- Filters and facets across relations see published records only: ``?role=funding`` finds the
  partners funding a *published* activity, and a draft approach is neither a facet value nor an
  accepted ``?approach=``.
- Results are always in a total order (ties broken by primary key), so pages never repeat or skip
  records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, ManyToManyField, ManyToOneRel, Q
from django.db.models.constants import LOOKUP_SEP
from django.forms.utils import pretty_name
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .i18n import interpolate_lazy, literal
from .languages import SOURCE_LANGUAGE
from .models import SourceDocument, public_records, published_q
from .places import country_name
from .search import terms
from .translations import content_language, translated_labels

SEARCH_PARAMS = ("q", "search")
ORDERING_PARAMS = ("sort", "ordering")


def split_values(values) -> list[str]:
    """The repeated and the comma forms of a parameter as one list: [a,b, c] -> [a, b, c]."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class Facet:
    """A facet: where its value and label live, relative to the FilterSet's model."""

    value: str
    label: str | None = None
    choices: tuple | None = None  # (value, label) pairs, for vocabulary fields
    limit: int = 50
    through: tuple[str, ...] = ()  # relations off the value's path whose records must be published
    # [(value, stored label), …] -> {value: label in the reader's language} for all of a facet's
    # values at once (a country's local name; a translated title, in one query); a value it leaves
    # out keeps its stored English label, marked as English
    localise: Callable[[list[tuple]], dict] | None = None


def country_facet(path: str, **kwargs) -> Facet:
    """The countries facet through ``path`` (``country``, ``countries``): by code, named in the
    reader's language (``wps_portal.places``)."""
    return Facet(f"{path}__code", f"{path}__name", localise=_country_names, **kwargs)


def _country_names(rows) -> dict:
    # Only the countries CLDR names in the reader's language: the others keep the record's English
    # name, marked as English.
    return {code: name for code, _english in rows if (name := country_name(code, None))}


def translated_facet(path: str, model, field: str = "title", key: str = "slug", **kwargs) -> Facet:
    """The facet of records of ``model`` through ``path`` (``approaches``), by ``key``, labelled with
    their translated ``field`` in the reader's language (``wps_portal.translations``; English
    where no translation is recorded)."""
    return Facet(
        f"{path}__{key}", f"{path}__{field}", localise=translated_labels(model, field, key), **kwargs
    )


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    # The label's language when it is not the page's: English, for a label with no translation
    # in the reader's language (a programme's name, an approach not yet translated). None when the
    # label is in the page's language.
    language: str | None = None


def crosses_many(model, path: str) -> bool:
    """Whether the lookup ``path`` goes through a relation to many rows (a join that repeats rows)."""
    current = model
    for part in path.split(LOOKUP_SEP):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.is_relation:
            return False
        if field.many_to_many or field.one_to_many:
            return True
        current = field.related_model
    return False


def _relabel(q: Q, old: str, table, forward: str) -> Q | None:
    """``q`` (lookups from a model through its relation ``old``) as lookups on ``table``, the
    related rows, where ``forward`` is the related record (the link table's foreign key, or the
    row itself: "pk"). None when that would not mean the same: a lookup that starts elsewhere, a
    negation or an isnull (which match rows the related table lacks)."""
    if q.negated:
        return None
    children = []
    for child in q.children:
        if isinstance(child, Q):
            child = _relabel(child, old, table, forward)
            if child is None:
                return None
            children.append(child)
            continue
        lookup, value = child
        if lookup != old and not lookup.startswith(old + LOOKUP_SEP):
            return None
        rest = lookup[len(old) + len(LOOKUP_SEP) :].split(LOOKUP_SEP) if lookup != old else []
        if "isnull" in rest:
            return None
        if rest and forward == "pk":  # a field of the related row, or a lookup on the row itself
            try:
                table._meta.get_field(rest[0])
            except FieldDoesNotExist:
                rest = ["pk", *rest]
            children.append((LOOKUP_SEP.join(rest), value))
        else:
            children.append((LOOKUP_SEP.join([forward, *rest]), value))
    return Q(*children, _connector=q.connector)


def matching_pks(model, first: str) -> Callable[..., object]:
    """``(*conditions, **lookups) -> model's pks matching them`` (the lookups all start at the
    relation ``first`` of ``model``), for ``pk IN (…)``: selected from the related table (a
    many-to-many's link table, a reverse foreign key's rows), not from ``model`` joined to it,
    so SQLite reads one table instead of two (at 200,000 activities: an activity's countries,
    35 ms instead of 60; a partner's participations, 13 ms instead of 23). Anything else, or
    lookups _relabel cannot move, are a subquery over ``model``."""
    field = model._meta.get_field(first)
    table = None
    if isinstance(field, ManyToManyField) and field.remote_field.through._meta.auto_created:
        table, back, forward = (
            field.remote_field.through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
        )
    elif isinstance(field, ManyToOneRel) and field.field.target_field.primary_key:
        table, back, forward = field.related_model, field.field.name, "pk"

    def pks(*args, **kwargs):
        q = Q(*args, **kwargs)
        relabelled = _relabel(q, first, table, forward) if table is not None else None
        if relabelled is None:
            return model._default_manager.filter(q).values("pk")
        return table._default_manager.filter(relabelled).values(back)

    return pks


class PublishedPathMixin:
    """A filter across relations matches through published records only. The condition goes into
    the same ``filter()`` call as the value, so both constrain the same related row. ``through``
    names relations off the filter's path that must be published too (a participation's activity
    when filtering partners by role).

    Across a relation to many rows (an activity's countries) the match is ``pk IN (subquery)``,
    never a join plus ``SELECT DISTINCT`` over every column: the page and its count stay index
    scans of the model's own table."""

    def __init__(self, *args, through=(), **kwargs):
        self.through = tuple(through)
        kwargs["distinct"] = False  # see get_method
        super().__init__(*args, **kwargs)

    def get_method(self, qs):
        method = super().get_method(qs)
        condition = published_q(qs.model, (self.field_name, *self.through))
        if self.exclude:
            return method
        if crosses_many(qs.model, self.field_name):
            pks = matching_pks(qs.model, self.field_name.split(LOOKUP_SEP)[0])

            def matching(*args, **kwargs):
                return method(pk__in=pks(condition, *args, **kwargs))

            return matching
        if not condition:
            return method
        return lambda *args, **kwargs: method(condition, *args, **kwargs)


class ChoicesFilter(PublishedPathMixin, django_filters.MultipleChoiceFilter):
    """Several values of a vocabulary, OR-ed: ``?kind=ngo&kind=network``."""


class SlugsFilter(PublishedPathMixin, django_filters.ModelMultipleChoiceFilter):
    """Several natural keys of related records, OR-ed: ``?partner=a&partner=b``.

    Validation looks the given keys up (one query) instead of loading every record into a list of
    choices, so the browsable API and forms stay fast on large tables.
    """

    def __init__(self, *args, to_field_name="slug", **kwargs):
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    def get_filter_predicate(self, v):
        # Filter by the record found, not by its key: field_name is a relation (e.g. "countries"),
        # and django-filter would otherwise compare the relation's id with the key ("XK").
        return {self.field_name: v}


class BaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search (same as q)"))

    facets: dict[str, Facet] = {}

    def __init__(self, data=None, *args, **kwargs):
        # ``?sort=a&sort=b`` is ``?sort=a,b``: django-filter's ordering reads one value (the last).
        if hasattr(data, "getlist") and any(len(data.getlist(name)) > 1 for name in ORDERING_PARAMS):
            data = data.copy()
            for name in ORDERING_PARAMS:
                if len(data.getlist(name)) > 1:
                    data[name] = ",".join(split_values(data.getlist(name)))
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        if not terms(value):
            return queryset
        from .search import engine

        # The list and each facet's count apply the same search: the engine runs once a request.
        holder = self.request if self.request is not None else self
        memo = holder.__dict__.setdefault("_wps_search_rankings", {})
        key = (queryset.model._meta.label, queryset.db, value)
        if key not in memo:
            memo[key] = engine.ranking(queryset.model, value)
        return engine.filter_queryset(queryset, value, memo[key])

    def filter_years(self, queryset, name, value):
        """``year_from`` and ``year_to`` (YearFilters with this method) as one condition, through
        the queryset's ``in_years()``: both bounds must constrain the same related record."""
        data = self.form.cleaned_data
        if name == "year_to" and data.get("year_from") is not None:
            return queryset  # applied together with year_from
        return queryset.in_years(data.get("year_from"), data.get("year_to"))

    def filter_queryset(self, queryset):
        return in_total_order(super().filter_queryset(queryset))

    # -- for the HTML list ------------------------------------------------------------------

    def invalid_params(self, browsable=None) -> dict[str, str]:
        """{parameter: message} for every parameter whose value was refused.

        ``browsable(listing)`` says whether the site has a page listing what a filter's API
        ``listing`` address lists: its messages then leave the address out (``site_messages``).
        """
        if not self.is_bound or self.form.is_valid():
            return {}
        result = {}
        for name, errors in self.form.errors.as_data().items():
            own = getattr(self.filters.get(name), "site_messages", {})
            if not (own and browsable and browsable(self.filters[name].listing)):
                own = {}
            texts = []
            for error in errors:
                message = own.get(error.code, error.message)
                texts.append(str(message % error.params if error.params else message))
            result[name] = " ".join(texts)
        return result

    def queryset_without(self, excluded: str):
        """The queryset with every filter applied except ``excluded`` (and ordering)."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name == excluded or name in ORDERING_PARAMS:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def selected_values(self, name) -> set[str]:
        return {str(v) for v in self.data.getlist(name)} if hasattr(self.data, "getlist") else set()

    def facet_counts(self) -> dict[str, list[FacetValue]]:
        """Counts per value of each facet, each with the other filters applied.

        Counts are cached (``wps_portal.cache``: invalidated by every write) per filter values;
        each facet's query has FACET_TIME_LIMIT_MS to finish, or the facet is left out and named
        in ``timed_out`` (a time-out is not cached, so a later request tries again).
        """
        from . import cache

        self.timed_out = []
        parts = (
            "facets",
            type(self).__qualname__,
            cache.query_key(self.queryset),
            sorted((k, tuple(self.data.getlist(k))) for k in self.data if k not in ORDERING_PARAMS)
            if hasattr(self.data, "getlist")
            else (),
        )
        try:
            counts = cache.cached(parts, self._facet_rows)
        except _Incomplete as incomplete:  # a facet timed out: shown without it, not cached
            counts = incomplete.rows
        return self._facet_values(counts)

    def _facet_rows(self) -> dict[str, list[tuple]]:
        """{facet: [(value, label, count)]}; facets past their time limit are left out."""
        from django.conf import settings

        from .db import TimeLimitExceeded, time_limit

        budget = int(getattr(settings, "FACET_TIME_LIMIT_MS", 1000))
        model = self.queryset.model
        result = {}
        for name, facet in self.facets.items():
            base = self.queryset_without(name).values("pk")
            label_path = facet.label or facet.value
            query = (
                model._default_manager.filter(
                    published_q(model, (facet.value, *facet.through)),
                    pk__in=base,
                    **{f"{facet.value}__isnull": False},
                )
                .values(facet.value, label_path)
                .annotate(n=Count("pk", distinct=True))
                .order_by("-n", label_path)[: facet.limit]
            )
            try:
                with time_limit(budget):
                    result[name] = [(row[facet.value], row[label_path], row["n"]) for row in query]
            except TimeLimitExceeded:
                self.timed_out.append(name)
        if self.timed_out:
            raise _Incomplete(result)
        return result

    def _facet_values(self, counts) -> dict[str, list[FacetValue]]:
        english_page = content_language() == SOURCE_LANGUAGE
        result = {}
        for name, facet in self.facets.items():
            if name not in counts:
                continue
            labels = dict(facet.choices or ())
            # A vocabulary's labels are messages of the catalogues (complete in every language
            # offered); a stored label (a programme's name) is the record's English text.
            translated = {value for value, label in labels.items() if isinstance(label, Promise)}
            if facet.localise:
                localised = facet.localise([(value, label) for value, label, _n in counts[name]])
                labels.update(localised)
                translated.update(localised)
            selected = self.selected_values(name)
            result[name] = [
                FacetValue(
                    value=str(value),
                    label=str(labels.get(value, label)),
                    count=count,
                    selected=str(value) in selected,
                    language=None if english_page or value in translated else SOURCE_LANGUAGE,
                )
                for value, label, count in counts[name]
            ]
        return result


class _Incomplete(Exception):
    def __init__(self, rows):
        self.rows = rows


def in_total_order(queryset):
    """The queryset with ties broken by primary key: PostgreSQL returns tied rows in any order, so
    without it page 2 of ``?sort=type`` could repeat records of page 1 and skip others."""
    query = queryset.query
    ordering = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    if any(item in ("pk", "-pk") for item in ordering if isinstance(item, str)):
        return queryset
    return queryset.order_by(*ordering, "pk")


def allowed(values) -> str:
    return ", ".join(str(v) for v in values)


def refusal(message, values):
    """A form error naming what is allowed, translated when shown: ``message`` has ``%(value)s``
    (Django fills it in with the refused value) and ``%(allowed)s`` (filled in here)."""
    return interpolate_lazy(message, {"value": "%(value)s", "allowed": literal(allowed(values))})


def choice_filter(choices, label, **kwargs):
    """A vocabulary facet: several values OR-ed; a bad value names what is allowed."""
    values = [value for value, _label in choices]
    return ChoicesFilter(
        choices=choices,
        label=label,
        error_messages={
            "invalid_choice": refusal(_("%(value)s is not allowed; allowed values: %(allowed)s."), values)
        },
        **kwargs,
    )


def slugs_filter(model, field_name, label, *, to_field_name="slug", listing="", **kwargs):
    """Related records by natural key; a bad key is refused with a pointer to where keys are listed.

    ``model`` may be an "app_label.Model" string, resolved when the filter is used: a lower layer
    can filter by a higher layer's records (by name, through reverse relations) without importing it.
    """

    def queryset(request):
        return public_records(apps.get_model(model) if isinstance(model, str) else model)

    unknown = _("%(value)s is not a known value.")
    if listing:
        # The API names its address listing the keys; the site's pages name a page to browse
        # instead, with the shorter message (``site_messages``, see ``invalid_params``).
        listed = interpolate_lazy(
            _("%(value)s is not a known value (see %(listing)s for the allowed values)."),
            {"value": "%(value)s", "listing": literal(listing)},
        )
    slugs = SlugsFilter(
        queryset=queryset,
        field_name=field_name,
        to_field_name=to_field_name,
        label=label,
        error_messages={"invalid_choice": listed if listing else unknown},
        **kwargs,
    )
    slugs.listing = listing
    slugs.site_messages = {"invalid_choice": unknown} if listing else {}
    return slugs


class YearFilter(django_filters.NumberFilter):
    field_class = django_filters.fields.forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter a year as four digits, e.g. 2008."),
                "min_value": _("Enter a year from 1900 to 2100."),
                "max_value": _("Enter a year from 1900 to 2100."),
            },
        )
        super().__init__(*args, **kwargs)


# The sort keys' labels (the list pages' "Sort" menu), translated when shown.
SORT_LABELS = {
    "name": pgettext_lazy("sort key", "Name"),
    "code": pgettext_lazy("sort key", "Code"),
    "region": pgettext_lazy("sort key", "Region"),
    "acronym": pgettext_lazy("sort key", "Acronym"),
    "founded": pgettext_lazy("sort key (year founded)", "Founded"),
    "country": pgettext_lazy("sort key", "Country"),
    "start": pgettext_lazy("sort key (start date)", "Start"),
    "number": pgettext_lazy("sort key", "Number"),
    "title": pgettext_lazy("sort key", "Title"),
    "type": pgettext_lazy("sort key", "Type"),
    "order": pgettext_lazy("sort key (position in a list)", "Order"),
    "key": pgettext_lazy("sort key (a document's key)", "Key"),
    "date": pgettext_lazy("sort key", "Date"),
    "relevance": pgettext_lazy("sort key", "Relevance"),
}


class RelevanceOrderingFilter(django_filters.OrderingFilter):
    """``relevance`` orders by the search engine's rank when the request searches (``q``), and is
    ignored otherwise (there is nothing to rank).

    Its choices' labels are translated when shown (django-filter's are built, in English, when
    the FilterSet class is defined): ``SORT_LABELS``, and "… (descending)"."""

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field) or SORT_LABELS.get(param) or pretty_name(param))
            for field, param in fields.items()
        ]
        descending = [
            (
                f"-{param}",
                interpolate_lazy(pgettext_lazy("sort order", "%(key)s (descending)"), {"key": label}),
            )
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]

    def filter(self, qs, value):
        if value and "search_rank" not in qs.query.annotations:
            value = [v for v in value if v.lstrip("-") != "relevance"]
        return super().filter(qs, value)


def ordering_filters(fields: dict[str, str]):
    """The ``sort`` and ``ordering`` filters (same values); ``-`` before a value reverses it.
    Every resource also accepts ``relevance`` (the search rank; the default order of a search)."""
    fields = {**fields, "search_rank": "relevance"}
    values = list(fields.values()) + [f"-{v}" for v in fields.values()]

    def make(label):
        return RelevanceOrderingFilter(
            fields=fields,
            label=label,
            error_messages={
                "invalid_choice": refusal(_("%(value)s is not a sort order; allowed: %(allowed)s."), values)
            },
        )

    return make(_("Sort")), make(_("Ordering (same as sort)"))


class SourceDocumentFilterSet(BaseFilterSet):
    sort, ordering = ordering_filters({"key": "key", "date": "date", "title": "title"})

    class Meta:
        model = SourceDocument
        fields = []

    # Source documents are in the search index too: the base filter_search applies.
