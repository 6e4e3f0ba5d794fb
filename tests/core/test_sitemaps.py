import re
from pathlib import Path

import pytest
from django.contrib import sitemaps
from django.contrib.sites.requests import RequestSite
from django.template import Context, Template

from core.sitemaps import ItemsInLanguages, ItemsInTheirLanguages
from news.sitemaps import ArticleSitemap
from portal.sitemaps import StaticPagesSitemap
from relations.sitemaps import AgreementSitemap
from tests.factories import AgreementFactory, ArticleFactory

LANGUAGES = ["en", "ko", "zh-hans"]


def pairs(items, languages=LANGUAGES):
    return [(item, code) for item in items for code in languages]


@pytest.mark.parametrize("start,stop", [(0, 4), (2, 7), (3, 6), (5, None), (0, 0), (8, 30)])
def test_it_slices_the_pairs_as_a_list_of_them_would(start, stop):
    items = ItemsInLanguages(["a", "b", "c"], LANGUAGES)
    assert items[start:stop] == pairs("abc")[start:stop]
    assert len(items) == items.count() == 9


def test_it_lists_each_item_in_its_own_languages_and_slices_by_item():
    languages = {"a": ["en"], "b": ["ko", "zh-hans"], "c": []}
    items = ItemsInTheirLanguages(["a", "b", "c"], languages.get)
    assert items[0:2] == [("a", "en"), ("b", "ko"), ("b", "zh-hans")]
    with pytest.raises(TypeError):
        items[0]


# ---- I18nSitemap writes each entry's XML itself, as Django's template would


DJANGO_TEMPLATE = Path(sitemaps.__file__).parent / "templates" / "sitemap.xml"


def _entries(xml):
    return re.findall(r"<url>.*?</url>", xml, flags=re.S)


def _as_django_writes_it(sitemap, site):
    """Return the page's <url> elements as Django's own Sitemap and template write them."""
    urls = sitemaps.Sitemap.get_urls(sitemap, page=1, site=site, protocol="http")
    return _entries(Template(DJANGO_TEMPLATE.read_text()).render(Context({"urlset": urls})))


@pytest.mark.django_db
@pytest.mark.parametrize("sitemap_class", [AgreementSitemap, ArticleSitemap, StaticPagesSitemap])
def test_it_writes_what_djangos_sitemap_writes(rf, sitemap_class):
    AgreementFactory.create_batch(2)
    ArticleFactory(title_en="Both", title_ko="둘 다")
    ArticleFactory(title_en="", title_zh_hans="只有中文")
    site = RequestSite(rf.get("/"))
    urls = sitemap_class().get_urls(page=1, site=site, protocol="http")
    assert [url["xml"] for url in urls] == _as_django_writes_it(sitemap_class(), site)


@pytest.mark.django_db
def test_it_escapes_the_public_url(rf, settings):
    settings.PUBLIC_URL = "https://example.org/a&b"
    AgreementFactory()
    xml = AgreementSitemap().get_urls(site=RequestSite(rf.get("/")))[0]["xml"]
    assert "https://example.org/a&amp;b/en/agreements/" in xml
