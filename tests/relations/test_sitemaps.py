"""The sitemap sections of partnerships, regions and agreements (relations.sitemaps)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations.models import Agreement
from relations.sitemaps import AgreementSitemap
from tests.factories import (
    AgreementFactory,
    PartnershipFactory,
    RegionFactory,
    WorkingGroupFactory,
)
from tests.pages import count_queries, sitemap_entries

pytestmark = pytest.mark.django_db


def test_it_lists_a_partnership_in_every_language_with_alternates(client):
    PartnershipFactory(partner_region=RegionFactory(slug="jiangsu"))
    entries = sitemap_entries(client.get("/sitemap-partnerships.xml").content.decode())
    alternates = {
        "en": "http://testserver/en/partnerships/jiangsu/",
        "ko": "http://testserver/ko/partnerships/jiangsu/",
        "zh-hans": "http://testserver/zh-hans/partnerships/jiangsu/",
        "x-default": "http://testserver/partnerships/jiangsu/",
    }
    assert set(entries) == {alternates["en"], alternates["ko"], alternates["zh-hans"]}
    for entry in entries.values():
        assert entry == alternates


def test_it_lists_only_regions_in_a_partnership(client):
    partnership = PartnershipFactory(partner_region=RegionFactory(slug="liaoning"))
    RegionFactory(slug="lonely")
    entries = sitemap_entries(client.get("/sitemap-regions.xml").content.decode())
    slugs = {re.search(r"/regions/([^/]+)/", url).group(1) for url in entries}
    assert slugs == {"liaoning", partnership.home_region.slug}


def test_it_lists_agreements(client):
    agreement = AgreementFactory()
    entries = sitemap_entries(client.get("/sitemap-agreements.xml").content.decode())
    assert f"http://testserver/ko/agreements/{agreement.pk}/" in entries


def test_it_uses_the_public_url_in_the_sitemap(client, settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    PartnershipFactory(partner_region=RegionFactory(slug="jiangsu"))
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>https://portal.example.org/sitemap-partnerships.xml</loc>" in index
    xml = client.get("/sitemap-partnerships.xml").content.decode()
    assert "<loc>https://portal.example.org/ko/partnerships/jiangsu/</loc>" in xml
    assert "testserver" not in xml


def test_it_splits_a_long_section_into_pages(client, monkeypatch):
    monkeypatch.setattr(AgreementSitemap, "limit", 6)
    agreements = sorted(AgreementFactory.create_batch(5), key=lambda a: a.pk)
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-agreements.xml?p=3</loc>" in index
    assert "sitemap-agreements.xml?p=4" not in index

    pages = [client.get("/sitemap-agreements.xml", {"p": p}) for p in (1, 2, 3)]
    urls = [url for page in pages for url in sitemap_entries(page.content.decode())]
    expected = [
        f"http://testserver/{code}/agreements/{agreement.pk}/"
        for agreement in agreements
        for code in ("en", "ko", "zh-hans")
    ]
    assert urls == expected
    assert client.get("/sitemap-agreements.xml", {"p": 4}).status_code == 404


def test_it_takes_the_number_of_agreements_from_the_partnerships_kept_counts(client):
    AgreementFactory.create_batch(2)
    with CaptureQueriesContext(connection) as queries:
        xml = client.get("/sitemap-agreements.xml").content.decode()
    assert len(sitemap_entries(xml)) == 2 * 3
    assert not [q for q in queries if "COUNT(*)" in q["sql"] and "relations_agreement" in q["sql"]]


def test_it_reads_the_sitemap_in_as_many_queries_for_ten_records_as_for_one(client):
    # Intended to prevent loading whole tables: each page is a COUNT and one slice.
    AgreementFactory()
    urls = [f"/sitemap-{s}.xml" for s in ("partnerships", "regions", "agreements")]
    urls.append("/sitemap.xml")
    with_one = [count_queries(client, url) for url in urls]
    AgreementFactory.create_batch(9)
    assert [count_queries(client, url) for url in urls] == with_one
    assert Agreement.objects.count() == 10


def test_it_lists_working_groups(client):
    group = WorkingGroupFactory()
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-working-groups.xml</loc>" in index
    entries = sitemap_entries(client.get("/sitemap-working-groups.xml").content.decode())
    assert set(entries) == {
        f"http://testserver/{code}/working-groups/{group.pk}/" for code in ("en", "ko", "zh-hans")
    }


def test_it_lists_the_region_list(client):
    entries = sitemap_entries(client.get("/sitemap-pages.xml").content.decode())
    assert "http://testserver/zh-hans/regions/" in entries
