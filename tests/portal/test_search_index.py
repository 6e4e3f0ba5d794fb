"""The search's text tables follow every write of the records: row by row, in bulk, in raw
SQL, published or not, and after a rollback, a lost trigger or a rebuild."""

import dataclasses
import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from news.models import Article
from portal.search import normalize_query, search, triggers
from portal.search.documents import SOURCES
from portal.search.index import search_index_rebuild, search_index_sync
from relations.models import Agreement, Partnership, Region
from tests.factories import AgreementFactory, ArticleFactory, PartnershipFactory, RegionFactory

from .helpers_search import jiangsu_records, python_search

pytestmark = pytest.mark.django_db


def _found(query):
    results = search(query=normalize_query(query), language="en", limit_per_kind=1000)
    return {group.kind: {record.pk for record in group.items} for group in results.groups}


def _rows(kind):
    return dict(SOURCES[kind].table.objects.values_list("record_id", "text"))


def test_it_finds_a_record_as_soon_as_it_is_saved():
    agreement = AgreementFactory(title_en="Memorandum on tidal power", title_ko="조력 발전")
    assert _found("tidal")["agreements"] == {agreement.pk}
    assert _found("조력")["agreements"] == {agreement.pk}


def test_it_follows_an_edit_and_forgets_the_old_text():
    region = RegionFactory(name_en="Zhejiang", description_zh_hans="浙江省")
    region.name_en = "Fujian"
    region.description_zh_hans = "福建省"
    region.save()
    assert _found("Zhejiang")["regions"] == set()
    assert _found("浙江")["regions"] == set()
    assert _found("福建")["regions"] == {region.pk}


def test_it_forgets_a_deleted_record():
    agreement = AgreementFactory(title_en="Quokka accord")
    agreement.delete()
    assert _found("Quokka")["agreements"] == set()
    assert agreement.pk not in _rows("agreements")


def test_it_follows_writes_that_send_no_signal():
    partnership = PartnershipFactory()
    Agreement.objects.bulk_create(
        [
            Agreement(partnership=partnership, kind="mou", title_en=f"Bulk accord {n}")
            for n in range(3)
        ]
    )
    assert len(_found("Bulk accord")["agreements"]) == 3
    Agreement.objects.filter(title_en="Bulk accord 0").update(title_en="Updated accord")
    agreements = list(Agreement.objects.filter(title_en__startswith="Bulk"))
    for agreement in agreements:
        agreement.venue_ko = "수원"
    Agreement.objects.bulk_update(agreements, ["venue_ko"])
    assert len(_found("Bulk accord")["agreements"]) == 2
    assert len(_found("Updated")["agreements"]) == 1
    assert _found("수원")["agreements"] == {a.pk for a in agreements}
    Agreement.objects.filter(title_en="Updated accord").delete()
    assert _found("Updated")["agreements"] == set()


def test_an_update_rewrites_the_texts_only_when_a_column_they_read_changes():
    # The texts are made of these columns; the kept counts and level are not among them.
    assert triggers._read_columns(Partnership) == [
        "partner_region_id",
        "summary_en",
        "summary_ko",
        "summary_zh_hans",
    ]
    assert "signed_on" in triggers._read_columns(Agreement)  # copied for the hits' order
    agreement = AgreementFactory(title_en="Quokka accord", signed_on=datetime.date(2001, 1, 1))
    partnership = agreement.partnership
    Partnership.objects.filter(pk=partnership.pk).update(agreement_count=5, level="friendship")
    Partnership.objects.filter(pk=partnership.pk).update(summary_en="Wombat exchange")
    assert _found("Wombat")["partnerships"] == {partnership.pk}
    Agreement.objects.filter(pk=agreement.pk).update(signed_on=datetime.date(2020, 5, 1))
    copied = SOURCES["agreements"].table.objects.get(record_id=agreement.pk).signed_on
    assert copied == datetime.date(2020, 5, 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger functions")
def test_the_update_trigger_compares_the_columns_the_texts_read():
    functions, _triggers = triggers.postgresql_objects(connection)
    body = functions[triggers._function_name(Partnership, "update")]
    assert 'IS DISTINCT FROM ROW(then_row."partner_region_id", then_row."summary_en"' in body
    assert "agreement_count" not in body


def test_it_follows_raw_sql():
    region = RegionFactory(name_en="Hainan")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE relations_region SET name_ko = %s WHERE id = %s", ["하이난", region.pk]
        )
    assert _found("하이난")["regions"] == {region.pk}


def test_it_finds_a_partnership_by_its_partner_region_renamed():
    partnership = PartnershipFactory(partner_region__name_en="Shandong")
    region = partnership.partner_region
    region.name_en = "Shanxi"
    region.save()
    assert _found("Shandong")["partnerships"] == set()
    assert _found("Shanxi")["partnerships"] == {partnership.pk}
    # Renamed in bulk, and the partnership moved to another region: the same.
    Region.objects.filter(pk=region.pk).update(name_zh_hans="山西")
    assert _found("山西")["partnerships"] == {partnership.pk}
    Partnership.objects.filter(pk=partnership.pk).update(
        partner_region=RegionFactory(name_en="Yunnan")
    )
    assert _found("Shanxi")["partnerships"] == set()
    assert _found("Yunnan")["partnerships"] == {partnership.pk}


def test_it_finds_an_article_by_a_link_as_soon_as_it_is_added_and_forgets_it_once_removed():
    article = ArticleFactory(title_en="Delegation")
    region = RegionFactory(name_en="Hubei", name_zh_hans="湖北省")
    partnership = PartnershipFactory(partner_region__name_ko="후난성")
    article.regions.add(region)
    article.partnerships.add(partnership)
    assert _found("湖北")["news"] == {article.pk}
    assert _found("후난")["news"] == {article.pk}
    article.regions.remove(region)
    article.partnerships.clear()
    assert _found("湖北")["news"] == set()
    assert _found("후난")["news"] == set()


def test_it_finds_an_article_by_its_regions_renamed():
    article = ArticleFactory(title_en="Delegation")
    region = RegionFactory(name_en="Shandong")
    partnership = PartnershipFactory(partner_region=RegionFactory(name_en="Liaoning"))
    article.regions.add(region)
    article.partnerships.add(partnership)
    region.name_en = "Shanxi"
    region.save()
    Region.objects.filter(pk=partnership.partner_region_id).update(name_en="Jilin")
    assert _found("Shandong")["news"] == set()
    assert _found("Shanxi")["news"] == {article.pk}
    assert _found("Liaoning")["news"] == set()
    assert _found("Jilin")["news"] == {article.pk}
    # The partnership moved to another partner region: the article follows it.
    Partnership.objects.filter(pk=partnership.pk).update(
        partner_region=RegionFactory(name_en="Yunnan")
    )
    assert _found("Jilin")["news"] == set()
    assert _found("Yunnan")["news"] == {article.pk}


def test_it_follows_link_writes_that_send_no_signal():
    articles = ArticleFactory.create_batch(2, title_en="Delegation")
    region = RegionFactory(name_en="Hainan")
    links = Article.regions.through
    links.objects.bulk_create([links(article=article, region=region) for article in articles])
    assert _found("Hainan")["news"] == {article.pk for article in articles}
    # A link moved from one article to another, in raw SQL: both texts change.
    moved_to = ArticleFactory(title_en="Delegation")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {links._meta.db_table} SET article_id = %s WHERE article_id = %s",
            [moved_to.pk, articles[0].pk],
        )
    assert _found("Hainan")["news"] == {articles[1].pk, moved_to.pk}
    links.objects.all().delete()
    assert _found("Hainan")["news"] == set()


def test_it_forgets_the_links_of_a_deleted_partnership():
    article = ArticleFactory(title_en="Delegation")
    article.partnerships.add(PartnershipFactory(partner_region__name_en="Hebei"))
    Partnership.objects.get(articles=article).delete()
    assert _found("Hebei")["news"] == set()
    assert _found("Delegation")["news"] == {article.pk}


def test_it_shows_an_article_published_or_unpublished_in_bulk():
    article = ArticleFactory(title_en="Typhoon relief", status=Article.Status.DRAFT)
    assert _found("Typhoon")["news"] == set()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    assert _found("Typhoon")["news"] == {article.pk}
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    assert _found("Typhoon")["news"] == set()


def test_it_shows_a_scheduled_article_once_its_time_comes():
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    article = ArticleFactory(title_en="Delegation from Jilin", publish_at=publish_at)
    assert _found("Jilin")["news"] == set()
    with time_machine.travel(publish_at + datetime.timedelta(seconds=1)):
        assert _found("Jilin")["news"] == {article.pk}


def test_it_keeps_nothing_of_a_rolled_back_write():
    before = _rows("regions")
    with pytest.raises(RuntimeError), transaction.atomic():
        RegionFactory(name_en="Rolled back")
        raise RuntimeError
    assert _rows("regions") == before


def test_it_finds_what_a_python_substring_search_finds_after_bulk_writes():
    jiangsu_records()
    Region.objects.filter(slug="jiangxi-0").update(description_ko="장쑤와 가까운 장시성")
    Agreement.objects.filter(title_en__contains="trade").update(venue_zh_hans="江苏南京")
    for query in ["장쑤", "江苏", "江", "Jiangsu", "ji", "%"]:
        assert _found(query) == python_search(query)


def test_the_rebuild_puts_a_damaged_index_right():
    jiangsu_records()
    expected = {kind: _rows(kind) for kind in SOURCES}
    SOURCES["regions"].table.objects.all().delete()
    SOURCES["agreements"].table.objects.update(text="")
    SOURCES["news"].table.objects.create(record_id=10**9, text="ORPHAN", status="published")
    call_command("rebuild_search_index", stdout=None)
    assert {kind: _rows(kind) for kind in SOURCES} == expected
    assert _found("장쑤") == python_search("장쑤")


def test_a_lost_trigger_is_put_back_and_the_index_rebuilt():
    # What a migration does to SQLite's triggers when it rebuilds a table to alter it.
    triggers.uninstall(connection)
    region = RegionFactory(name_en="Written while no trigger ran")
    assert _found("no trigger")["regions"] == set()
    assert search_index_sync() is True
    assert _found("no trigger")["regions"] == {region.pk}
    assert search_index_sync() is False  # in place: nothing to do


def test_the_rebuild_writes_the_rows_the_triggers_write():
    jiangsu_records()
    by_triggers = {kind: _rows(kind) for kind in SOURCES}
    search_index_rebuild()
    assert {kind: _rows(kind) for kind in SOURCES} == by_triggers


def test_migrate_rewrites_the_texts_that_an_older_version_wrote(monkeypatch):
    # An older version searched an article's own fields only: its triggers and texts.
    article = ArticleFactory(title_en="Delegation")
    monkeypatch.setitem(SOURCES, "news", dataclasses.replace(SOURCES["news"], linked=()))
    assert search_index_sync() is True
    article.partnerships.add(PartnershipFactory(partner_region__name_en="Hebei"))
    assert _found("Hebei")["news"] == set()
    monkeypatch.undo()

    call_command("migrate", verbosity=0)  # with no migration to apply, as after an upgrade

    assert _found("Hebei")["news"] == {article.pk}
