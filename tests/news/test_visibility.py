"""Drafts, articles in review, archived and future-scheduled ones never reach the public.

Every public view reads Article.objects.public(); each is checked here, and a scheduled
article appears everywhere by itself once the clock passes its publish time.
"""

import datetime

import pytest
import time_machine

from news.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory, PartnershipFactory, RegionFactory
from tests.pages import sitemap_entries

from .helpers_public import HIDDEN, bilingual_article, hidden_article, parse_feed

pytestmark = pytest.mark.django_db

SLUG = "the-article"


def shown_on_list(client):
    return f"/en/news/{SLUG}/" in client.get("/en/news/").content.decode()


def shown_on_filtered_list(client):
    r = client.get("/en/news/", {"partnership": "jiangsu", "region": "jiangsu", "year": "2024"})
    return f"/en/news/{SLUG}/" in r.content.decode()


def shown_on_detail(client):
    status = client.get(f"/en/news/{SLUG}/").status_code
    assert status in (200, 404)
    return status == 200


def shown_in_feed(client):
    links = [entry.link for entry in parse_feed(client.get("/en/news/feed/")).entries]
    return f"http://testserver/en/news/{SLUG}/" in links


def shown_in_sitemap(client):
    entries = sitemap_entries(client.get("/sitemap-news.xml").content.decode())
    return f"http://testserver/en/news/{SLUG}/" in entries


def shown_on_timeline(client):
    html = client.get("/en/partnerships/jiangsu/").content.decode()
    return f"/en/news/{SLUG}/" in html


def shown_on_home(client):
    return f"/en/news/{SLUG}/" in client.get("/en/").content.decode()


VIEWS = {
    "list": shown_on_list,
    "filtered list": shown_on_filtered_list,
    "detail": shown_on_detail,
    "feed": shown_in_feed,
    "sitemap": shown_in_sitemap,
    "timeline": shown_on_timeline,
    "home": shown_on_home,
}

# A fixed clock in 2024, so that the year filter matches.
NOW = datetime.datetime(2024, 6, 19, 3, tzinfo=datetime.UTC)


@pytest.fixture
def links():
    region = RegionFactory(slug="jiangsu")
    return {"partnerships": [PartnershipFactory(partner_region=region)], "regions": [region]}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("view", VIEWS)
def test_it_shows_a_public_article(client, links, frozen, view):
    ArticleFactory(slug=SLUG, **links)
    assert VIEWS[view](client)


@pytest.mark.parametrize("state", HIDDEN)
@pytest.mark.parametrize("view", VIEWS)
def test_it_hides_an_article_that_is_not_public(client, links, frozen, view, state):
    hidden_article(state, slug=SLUG, **links)
    assert not VIEWS[view](client)


@pytest.mark.parametrize("view", VIEWS)
def test_it_shows_a_scheduled_article_once_its_time_has_come(client, links, frozen, view):
    publish_at = NOW + datetime.timedelta(hours=2)
    bilingual_article(slug=SLUG, publish_at=publish_at, **links)
    assert not VIEWS[view](client)
    frozen.move_to(publish_at - datetime.timedelta(seconds=1))
    assert not VIEWS[view](client)
    frozen.move_to(publish_at)
    assert VIEWS[view](client)


def test_it_offers_no_region_filter_choice_for_a_region_with_only_hidden_news(client, frozen):
    hidden_article("scheduled", regions=[RegionFactory(slug="secret", name_en="Secret Region")])
    html = client.get("/en/news/").content.decode()
    assert "Secret Region" not in html
    assert "Some filters are not valid" in client.get("/en/news/?region=secret").content.decode()


def test_it_keeps_hidden_articles_out_of_the_korean_feed_and_sitemap(client, frozen):
    bilingual_article(slug="public")
    for state in HIDDEN:
        bilingual_article(slug=f"hidden-{state.replace(' ', '-')}", **HIDDEN[state]())
    korean = parse_feed(client.get("/ko/news/feed/"))
    assert [entry.link for entry in korean.entries] == ["http://testserver/ko/news/public/"]
    entries = sitemap_entries(client.get("/sitemap-news.xml").content.decode())
    assert set(entries) == {
        "http://testserver/en/news/public/",
        "http://testserver/ko/news/public/",
    }


# ---- The sitemap lists each public article in the languages it exists in, and only those


def test_it_lists_an_article_in_each_of_its_languages_with_only_those_alternates(client):
    bilingual_article(slug="sisterhood")
    entries = sitemap_entries(client.get("/sitemap-news.xml").content.decode())
    alternates = {
        "en": "http://testserver/en/news/sisterhood/",
        "ko": "http://testserver/ko/news/sisterhood/",
        "x-default": "http://testserver/news/sisterhood/",
    }
    assert entries == {alternates["en"]: alternates, alternates["ko"]: alternates}


def test_it_lists_an_article_without_english_with_no_default(client):
    ArticleFactory(slug="chinese", title_en="", title_zh_hans="只有中文")
    entries = sitemap_entries(client.get("/sitemap-news.xml").content.decode())
    only = "http://testserver/zh-hans/news/chinese/"
    assert entries == {only: {"zh-hans": only}}


def test_it_dates_each_entry_by_its_last_change(client):
    article = ArticleFactory()
    xml = client.get("/sitemap-news.xml").content.decode()
    assert f"<lastmod>{article.updated_at.astimezone().date().isoformat()}</lastmod>" in xml


def test_it_uses_the_public_url_in_the_sitemap(client, settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    ArticleFactory(slug="sisterhood")
    xml = client.get("/sitemap-news.xml").content.decode()
    assert "<loc>https://portal.example.org/en/news/sisterhood/</loc>" in xml
    assert "testserver" not in xml


def test_it_names_the_news_section_in_the_sitemap_index(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-news.xml</loc>" in xml


def test_it_pages_the_news_sitemap_by_article(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for number in range(3):
        bilingual_article(slug=f"article-{number}")
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-news.xml?p=2</loc>" in xml
    assert "?p=3" not in xml
    first = sitemap_entries(client.get("/sitemap-news.xml").content.decode())
    second = sitemap_entries(client.get("/sitemap-news.xml?p=2").content.decode())
    assert len(first) == 4
    assert set(second) == {
        "http://testserver/en/news/article-2/",
        "http://testserver/ko/news/article-2/",
    }
    assert client.get("/sitemap-news.xml?p=3").status_code == 404
