"""The base FilterSet: one class per resource drives the HTML list (filter form, facet counts,
messages about ignored parameters) and the API's query parameters (400 on a bad value).

Conventions every FilterSet follows:
- ``q`` and ``search`` are the same free-text search; ``sort`` and ``ordering`` the same ordering.
- A facet with several values (``?country=XK&country=BA``) combines them with OR; different facets
  combine with AND.
- ``facets`` maps a parameter to the path of its value and label; ``facet_counts()`` counts the
  records per value with all the *other* filters applied, one GROUP BY query per facet.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.apps import apps
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .search import terms

SEARCH_PARAMS = ("q", "search")
ORDERING_PARAMS = ("sort", "ordering")


@dataclass(frozen=True)
class Facet:
    """A facet: where its value and label live, relative to the FilterSet's model."""

    value: str
    label: str | None = None
    choices: tuple | None = None  # (value, label) pairs, for vocabulary fields
    limit: int = 50


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Several natural keys of related records, OR-ed: ``?partner=a&partner=b``.

    Validation looks the given keys up (one query) instead of loading every record into a list of
    choices, so the browsable API and forms stay fast on large tables.
    """

    def __init__(self, *args, to_field_name="slug", **kwargs):
        kwargs.setdefault("distinct", True)
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    def get_filter_predicate(self, v):
        # Filter by the record found, not by its key: field_name is a relation (e.g. "countries"),
        # and django-filter would otherwise compare the relation's id with the key ("XK").
        return {self.field_name: v}


class BaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search (same as q)"))

    facets: dict[str, Facet] = {}

    def filter_search(self, queryset, name, value):
        if not terms(value):
            return queryset
        return queryset.search(value)

    # -- for the HTML list ------------------------------------------------------------------

    @property
    def search_query(self) -> str:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return next((data.get(p) for p in SEARCH_PARAMS if data.get(p)), "") or ""

    def invalid_params(self) -> dict[str, str]:
        """{parameter: message} for every parameter whose value was refused."""
        if not self.is_bound or self.form.is_valid():
            return {}
        return {name: " ".join(errors) for name, errors in self.form.errors.items()}

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
        """Counts per value of each facet, each with the other filters applied."""
        model = self.queryset.model
        result = {}
        for name, facet in self.facets.items():
            base = self.queryset_without(name).values("pk")
            label_path = facet.label or facet.value
            rows = (
                model._default_manager.filter(pk__in=base)
                .exclude(**{f"{facet.value}__isnull": True})
                .values(facet.value, label_path)
                .annotate(n=Count("pk", distinct=True))
                .order_by("-n", label_path)[: facet.limit]
            )
            labels = dict(facet.choices or ())
            selected = self.selected_values(name)
            result[name] = [
                FacetValue(
                    value=str(row[facet.value]),
                    label=str(labels.get(row[facet.value], row[label_path])),
                    count=row["n"],
                    selected=str(row[facet.value]) in selected,
                )
                for row in rows
            ]
        return result


def allowed(values) -> str:
    return ", ".join(str(v) for v in values)


def choice_filter(choices, label, **kwargs):
    """A vocabulary facet: several values OR-ed; a bad value names what is allowed."""
    values = [value for value, _label in choices]
    return django_filters.MultipleChoiceFilter(
        choices=choices,
        label=label,
        error_messages={
            "invalid_choice": _("%(value)s is not allowed; allowed values: ") + allowed(values) + "."
        },
        **kwargs,
    )


def slugs_filter(model, field_name, label, *, to_field_name="slug", listing="", **kwargs):
    """Related records by natural key; a bad key is refused with a pointer to where keys are listed.

    ``model`` may be an "app_label.Model" string, resolved when the filter is used: a lower layer
    can filter by a higher layer's records (by name, through reverse relations) without importing it.
    """
    if isinstance(model, str):
        label_ = model

        def queryset(request):
            return apps.get_model(label_)._default_manager.all()
    else:

        def queryset(request):
            return model._default_manager.all()

    hint = _(" (see %(listing)s for the allowed values)") % {"listing": listing} if listing else ""
    return SlugsFilter(
        queryset=queryset,
        field_name=field_name,
        to_field_name=to_field_name,
        label=label,
        error_messages={"invalid_choice": _("%(value)s is not a known value") + hint + "."},
        **kwargs,
    )


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


def ordering_filters(fields: dict[str, str]):
    """The ``sort`` and ``ordering`` filters (same values); ``-`` before a value reverses it."""
    values = list(fields.values()) + [f"-{v}" for v in fields.values()]

    def make(label):
        return django_filters.OrderingFilter(
            fields=fields,
            label=label,
            error_messages={
                "invalid_choice": _("%(value)s is not a sort order; allowed: ") + allowed(values) + "."
            },
        )

    return make(_("Sort")), make(_("Ordering (same as sort)"))


class SourceDocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search (same as q)"))
    sort, ordering = ordering_filters({"key": "key", "date": "date", "title": "title"})
    facets: dict = {}

    class Meta:
        from .models import SourceDocument

        model = SourceDocument
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(title__icontains=value) | queryset.filter(publisher__icontains=value)
