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
