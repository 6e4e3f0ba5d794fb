"""The queries of the registry's lists can use their indexes (PostgreSQL; migration 0003).

Each index serves only the exact expression or order it was built on: these tests fail when
a query and its index drift apart. The tables here are tiny, so the planner is told to avoid
sequential scans and sorts, as it does by itself at a national registry's size.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.http import QueryDict

from core.i18n import fallback_sql
from relations.filters import AgreementFilter
from relations.models import Agreement, Exchange, Partnership, Region
from tests.factories import AgreementFactory, ExchangeFactory, PartnershipFactory, RegionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes"),
]


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


def test_the_agreement_search_reads_the_trigram_index():
    AgreementFactory(venue_en="Dodamso")
    filterset = AgreementFilter(QueryDict("q=Dodamso"), queryset=Agreement.objects.all())
    assert "relations_agreement_text" in plan(filterset.qs.order_by())


def test_the_agreement_list_reads_its_order_from_the_index():
    AgreementFactory()
    assert "relations_agreement_newest" in plan(Agreement.objects.all()[:20])


def test_the_newest_partnerships_are_read_from_the_index():
    partnership = PartnershipFactory()
    newest = Partnership.objects.filter(home_region=partnership.home_region).newest()[:8]
    assert "relations_partnership_newest" in plan(newest)


@pytest.mark.parametrize(
    ("language", "index"),
    [
        ("en", "relations_region_en"),
        ("ko", "relations_region_ko"),
        ("zh-hans", "relations_region_zh_hans"),
    ],
)
def test_regions_by_name_in_each_language_are_read_from_an_index(language, index):
    RegionFactory(name_en="Jiangsu Province", name_ko="")
    by_name = Region.objects.order_by(fallback_sql("name", language), "pk")[:10]
    assert index in plan(by_name)
    # And through a partnership, as the search orders partnerships by their partner's name.
    by_partner = Partnership.objects.order_by(fallback_sql("partner_region__name", language), "pk")
    assert index in plan(by_partner[:10])


def test_the_agreement_list_counts_a_filter_from_the_index():
    AgreementFactory()
    filterset = AgreementFilter(QueryDict("kind=mou&status=in_force&year_from=2000"))
    keys = filterset.qs.order_by().values("pk")  # what a count reads
    assert "Index Only Scan using relations_agreement_newest" in plan(keys)


def test_a_partnerships_agreements_are_read_with_the_filtered_columns_from_an_index():
    agreement = AgreementFactory()
    # In the index's order: only an index that begins with these columns gives it, and one
    # that does serves the lists' filters of a partnership's agreements as its conditions.
    by_partnership = Agreement.objects.filter(partnership=agreement.partnership).order_by(
        "kind", "status", "signed_on", "pk"
    )
    assert "Index Only Scan using relations_agreement_filters" in plan(by_partnership.values("pk"))


def test_the_exchange_admin_search_reads_the_trigram_index():
    ExchangeFactory(title_en="Student exchange")
    model_admin = admin.site._registry[Exchange]
    assert "relations_exchange_titles" in plan(
        Exchange.objects.filter(model_admin.search_condition("student")).order_by()
    )
