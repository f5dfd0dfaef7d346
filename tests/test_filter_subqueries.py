"""Filters across a relation to many rows select the matching pks from the related table
(wps_portal.filtersets.matching_pks): the same records as a subquery over the model itself."""

import pytest
from django.db.models import Q

from activities.filtersets import ActivityFilterSet, ProgrammeFilterSet
from activities.models import Activity
from casestudies.filtersets import CaseStudyFilterSet, LessonFilterSet
from networks.filtersets import NetworkFilterSet
from partners.filtersets import PartnerFilterSet
from wps_portal import filtersets
from wps_portal.filtersets import PublishedPathMixin, crosses_many

pytestmark = pytest.mark.django_db

FILTERSETS = [
    ActivityFilterSet,
    ProgrammeFilterSet,
    PartnerFilterSet,
    CaseStudyFilterSet,
    LessonFilterSet,
    NetworkFilterSet,
]


def over_the_model(model, first):
    return lambda *args, **kwargs: model._default_manager.filter(*args, **kwargs).values("pk")


def values_of(filter_):
    if hasattr(filter_, "queryset") and filter_.queryset is not None:
        key = filter_.extra.get("to_field_name") or "pk"
        return [str(v) for v in filter_.get_queryset(None).values_list(key, flat=True).order_by(key)]
    return [value for value, _label in filter_.extra["choices"]]


CASES = [
    (filterset, name)
    for filterset in FILTERSETS
    for name, filter_ in filterset.base_filters.items()
    if isinstance(filter_, PublishedPathMixin) and crosses_many(filterset._meta.model, filter_.field_name)
]


@pytest.mark.parametrize(("filterset", "name"), CASES, ids=[f"{fs.__name__}.{name}" for fs, name in CASES])
def test_every_value_matches_the_same_records(monkeypatch, filterset, name):
    model = filterset._meta.model
    values = values_of(filterset.base_filters[name])
    queries = [[value] for value in values] + [values[:2], values[-3:]]

    def matched(data):
        result = filterset(data={name: data}, queryset=model._default_manager.all())
        assert result.is_valid(), result.errors
        return set(result.qs.values_list("pk", flat=True))

    fast = [matched(data) for data in queries]
    monkeypatch.setattr(filtersets, "matching_pks", over_the_model)
    assert fast == [matched(data) for data in queries]
    assert any(fast)


def test_what_the_related_table_cannot_say_is_asked_of_the_model():
    pks = filtersets.matching_pks(Activity, "countries")
    # No link row says "no country", nor "not this country": those go through the activity.
    for q in (Q(countries__isnull=True), ~Q(countries__code="XK"), Q(programme__slug="x")):
        assert pks(q).model is Activity
    assert pks(Q(countries__code="XK")).model is Activity.countries.through
