"""Indexes that serve the lists' orders on every database (core.indexes)."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.models import F, QuerySet

from core.indexes import OrderIndex
from news.models import Article
from relations.models import Agreement, Partnership
from tests.factories import AgreementFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def _sql(index):
    # Not entered: writing the statement needs no transaction (SQLite refuses one in a test).
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    return str(index.create_sql(Agreement, editor))


def test_it_says_nulls_last_where_the_database_takes_it():
    index = OrderIndex(F("signed_on").desc(nulls_last=True), F("id").desc(), name="newest")
    sql = _sql(index)
    if connection.vendor == "postgresql":
        assert '"signed_on" DESC NULLS LAST, "id" DESC' in sql
    else:
        # SQLite puts NULLs last going down by itself, and refuses the words in an index.
        assert '"signed_on" DESC, "id" DESC' in sql
        assert "NULLS" not in sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own order of NULLs")
def test_it_refuses_an_order_sqlite_cannot_index():
    index = OrderIndex(F("signed_on").asc(nulls_last=True), name="oldest")
    with pytest.raises(ValueError, match="sorts NULLs the other way"):
        _sql(index)


# ---- The years of the admin's date hierarchy, from index probes


@pytest.fixture
def signed():
    for year, kind in [(1993, "mou"), (2011, "friendship"), (2011, "mou"), (2024, "mou")]:
        AgreementFactory(signed_on=datetime.date(year, 6, 1), kind=kind)
    AgreementFactory(signed_on=None)


@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_it_finds_the_years_django_finds(signed, order):
    for agreements in (Agreement.objects.all(), Agreement.objects.filter(kind="mou")):
        expected = list(QuerySet.dates(agreements, "signed_on", "year", order))
        assert list(agreements.dates("signed_on", "year", order)) == expected
    assert [d.year for d in Agreement.objects.dates("signed_on", "year")] == [1993, 2011, 2024]


def test_it_finds_the_years_of_a_list_filtered_through_a_subquery(signed):
    # The list's own parameters follow the years' in the statement: each must land in place.
    partnerships = Partnership.objects.filter(agreements__kind="friendship")
    agreements = Agreement.objects.filter(kind="mou", partnership__in=partnerships)
    expected = list(QuerySet.dates(agreements, "signed_on", "year", "DESC"))
    assert list(agreements.dates("signed_on", "year", "DESC")) == expected


def test_it_asks_as_often_for_a_century_of_years_as_for_one(signed, django_assert_num_queries):
    AgreementFactory(signed_on=datetime.date(1901, 1, 1))
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 1):
        years = list(Agreement.objects.dates("signed_on", "year"))
    assert [d.year for d in years] == [1901, 1993, 2011, 2024]


def test_it_finds_no_years_in_an_empty_list(signed):
    assert list(Agreement.objects.none().dates("signed_on", "year")) == []
    assert list(Agreement.objects.filter(kind="other").dates("signed_on", "year")) == []


@pytest.mark.parametrize("zone", [None, "UTC"])
@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_it_finds_the_years_of_a_datetime_as_django_does(order, zone):
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    # 31 December 2019, 20:00 in UTC is already 2020 in Seoul (the settings' time zone).
    for moment in [
        datetime.datetime(2019, 12, 31, 20, 0, tzinfo=datetime.UTC),
        datetime.datetime(2008, 3, 1, 9, 0, tzinfo=seoul),
        datetime.datetime(2024, 7, 1, 9, 0, tzinfo=seoul),
    ]:
        ArticleFactory(publish_at=moment)
    tzinfo = zoneinfo.ZoneInfo(zone) if zone else None
    for articles in (Article.objects.all(), Article.objects.filter(title_en__contains="a")):
        expected = list(QuerySet.datetimes(articles, "publish_at", "year", order, tzinfo))
        found = list(articles.datetimes("publish_at", "year", order, tzinfo))
        assert found == expected
        assert [(d.year, d.tzinfo) for d in found] == [(d.year, d.tzinfo) for d in expected]


def test_it_leaves_months_to_django(signed):
    months = Agreement.objects.filter(signed_on__year=2011).dates("signed_on", "month")
    assert list(months) == [datetime.date(2011, 6, 1)]
