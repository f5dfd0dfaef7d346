"""The main query shapes are served by indexes (EXPLAIN), on SQLite and on PostgreSQL.

On PostgreSQL the corpus is small enough that a sequential scan is cheapest, so the plans are
read with sequential scans disabled: the test shows that an index *can* serve the shape.
"""

import re

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from partners.models import Partner

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            return queryset.explain()
    return queryset.explain()


def filtered(**params):
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data[key] = value
    filterset = ActivityFilterSet(data=data, queryset=Activity.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def test_activities_by_country_use_the_country_index_without_distinct():
    queryset = filtered(country="XK", year_from="2008", year_to="2012")
    sql = str(queryset.query).upper()
    assert "DISTINCT" not in sql
    text = plan(queryset)
    if connection.vendor == "sqlite":
        # the country's activities by the through table's country index, then each by primary key
        assert "activities_activity_countries_country_id" in text, text
        assert "SCAN activities_activity" not in text, text
    else:
        assert "activities_activity_countries" in text and "Index" in text


def test_a_partners_activities_are_read_from_the_partner_activity_index():
    partner = Partner.objects.published().filter(participations__isnull=False).first()
    text = plan(filtered(partner=partner.slug))
    if connection.vendor == "sqlite":
        assert "activities_partner_act_idx" in text, text
    else:  # by an index on partner_id (the composite one or the foreign key's, as the planner likes)
        assert "Index Cond: (partner_id =" in text, text


def test_the_default_order_walks_an_index_instead_of_sorting():
    queryset = Activity.objects.published().order_by("start_date", "title", "pk")[1000:1050]
    text = plan(queryset)
    if connection.vendor == "sqlite":
        assert "activities_start_title_idx" in text, text
        assert "TEMP B-TREE" not in text, text
    else:  # an index on start_date in order; at most an incremental sort of ties, never a full sort
        assert "Index Scan" in text and "start_date" in text, text
        assert not re.search(r"(^|->\s+)Sort\s+\(", text, re.MULTILINE), text  # a Sort node


def test_the_published_prefetch_joins_by_status_not_a_subquery_of_partners():
    from activities.api.serializers import participants_prefetch

    sql = str(participants_prefetch().queryset.query).lower()
    assert '"partners_partner"."status" = published' in sql or "partners_partner.status" in sql
    assert "in (select" not in sql


def _search_plan(kinds, restrict: bool) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    from wps_portal.search import engine
    from wps_portal.search.query import parse

    parsed = parse("women network")
    engine.resolve(parsed, engine.Outcome(parsed))
    with CaptureQueriesContext(connection) as queries:
        engine.match(parsed, kinds, restrict)
    (sql,) = [q["sql"] for q in queries.captured_queries if "MATCH" in q["sql"] or "@@" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_search_of_one_kind_tests_the_kind_on_the_narrow_index_before_reading_the_entry():
    # The entry's long texts come before content_type_id in its row: the kind of each of 25,000
    # matches read from the row cost 30 ms at 200,000 records, from the index 7 ms.
    steps = _search_plan([Partner], restrict=False)
    kind = next(i for i, s in enumerate(steps) if "COVERING INDEX wps_portal_searchentry_kind" in s)
    row = next(i for i, s in enumerate(steps) if s.startswith("SEARCH e USING INTEGER PRIMARY KEY"))
    assert kind < row, steps


@pytest.mark.skipif(
    "connection.vendor != 'sqlite'",
    reason="PostgreSQL's planner picks by cost: a hashed subplan over the corpus's few rows, probes at scale",
)
def test_a_public_search_checks_each_match_by_primary_key_not_a_set_of_every_public_id():
    from wps_portal.search.index import indexed_models

    steps = "\n".join(_search_plan(indexed_models(), restrict=True))
    # IN (every published activity) would build a 200,000-row set on every search
    assert "LIST SUBQUERY" not in steps, steps
    assert "CORRELATED SCALAR SUBQUERY" in steps, steps
    assert "SCAN activities_activity" not in steps, steps


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_broad_search_counts_its_complete_matches_on_the_covering_kind_index(settings):
    """The broad path's grouped count by kind, year and countries reads the narrow index alone:
    never the entries' rows with their long texts (11,185 of them for one query at scale)."""
    from django.test.utils import CaptureQueriesContext

    from wps_portal.search import engine

    settings.SEARCH_EXACT_LIMIT = 5
    with CaptureQueriesContext(connection) as queries:
        assert engine.run("kosovo women", narrow=engine.Narrow()).broad
    (sql,) = [q["sql"] for q in queries.captured_queries if "GROUP BY 1, 2, 3" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        steps = [row[-1] for row in cursor.fetchall()]
    assert any("COVERING INDEX wps_portal_searchentry_kind" in s for s in steps), steps
    assert not any(s.startswith("SEARCH k USING INTEGER PRIMARY KEY") for s in steps), steps
