import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

from .helpers_public import bilingual_article, parse_feed

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_it_is_a_valid_atom_feed(client):
    bilingual_article()
    r = client.get("/en/news/feed/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/atom+xml")
    feed = parse_feed(r)
    assert feed.version == "atom10"
    assert feed.feed.title == "News from the International Relations Office"
    assert feed.feed.language == "en"
    assert feed.feed.author == "International Relations Office"


def test_it_has_one_entry_per_article_newest_first(client):
    ArticleFactory(slug="older", publish_at=at(2024, 1, 1))
    ArticleFactory(slug="newer", publish_at=at(2024, 6, 1))
    feed = parse_feed(client.get("/en/news/feed/"))
    assert [entry.link for entry in feed.entries] == [
        "http://testserver/en/news/newer/",
        "http://testserver/en/news/older/",
    ]
    assert len({entry.id for entry in feed.entries}) == 2


def test_it_gives_each_entry_its_dates_title_summary_and_author(client):
    article = ArticleFactory(
        title_en="Sisterhood signed",
        summary_en="Two <regions> & one deal.",
        publish_at=at(2024, 6, 19, 1),
    )
    entry = parse_feed(client.get("/en/news/feed/")).entries[0]
    article.refresh_from_db()
    assert entry.title == "Sisterhood signed"
    # An HTML summary: the text's markup characters arrive escaped, shown as typed.
    assert entry.summary_detail.type == "text/html"
    assert entry.summary == "Two &lt;regions&gt; &amp; one deal."
    assert entry.published == "2024-06-19T01:00:00+00:00"
    updated = datetime.datetime.fromisoformat(entry.updated)
    assert updated == article.updated_at
    assert entry.author == "International Relations Office"


def test_it_lists_only_articles_that_exist_in_the_feeds_language(client):
    bilingual_article(slug="both")
    ArticleFactory(slug="english-only")
    ArticleFactory(slug="chinese-only", title_en="", title_zh_hans="只有中文")
    english = parse_feed(client.get("/en/news/feed/"))
    korean = parse_feed(client.get("/ko/news/feed/"))
    chinese = parse_feed(client.get("/zh-hans/news/feed/"))
    assert sorted(e.link.split("/")[-2] for e in english.entries) == ["both", "english-only"]
    assert [e.link for e in korean.entries] == ["http://testserver/ko/news/both/"]
    assert [e.link for e in chinese.entries] == ["http://testserver/zh-hans/news/chinese-only/"]


def test_it_shows_each_languages_own_text(client):
    bilingual_article()
    korean = parse_feed(client.get("/ko/news/feed/"))
    assert korean.feed.language == "ko"
    assert korean.entries[0].title == "우호에서 자매결연으로"
    assert korean.entries[0].summary == "경기도와 장쑤성이 자매결연을 맺었다."


def test_it_keeps_the_twenty_newest_articles(client):
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(25):
        ArticleFactory(slug=f"day-{day:02}", publish_at=start + datetime.timedelta(days=day))
    entries = parse_feed(client.get("/en/news/feed/")).entries
    assert len(entries) == 20
    assert entries[0].link.endswith("/day-24/")
    assert entries[-1].link.endswith("/day-05/")


def test_it_links_to_the_request_host(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    ArticleFactory(slug="sisterhood")
    feed = parse_feed(client.get("/en/news/feed/", headers={"host": "news.example.com"}))
    assert feed.entries[0].link == "http://news.example.com/en/news/sisterhood/"
    assert feed.feed.link == "http://news.example.com/en/news/"


def test_it_links_to_the_public_url_when_set(client, settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    ArticleFactory(slug="sisterhood")
    r = client.get("/en/news/feed/")
    feed = parse_feed(r)
    assert feed.entries[0].link == "https://portal.example.org/en/news/sisterhood/"
    assert feed.entries[0].id == "https://portal.example.org/en/news/sisterhood/"
    assert feed.feed.link == "https://portal.example.org/en/news/"
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == ["https://portal.example.org/en/news/feed/"]
    assert "testserver" not in r.content.decode()


def test_it_is_valid_without_any_article(client):
    feed = parse_feed(client.get("/ko/news/feed/"))
    assert feed.entries == []


def test_it_escapes_markup_in_titles_and_summaries(client):
    ArticleFactory(title_en="<script>alert(1)</script>", summary_en="<img src=x onerror=alert(1)>")
    r = client.get("/en/news/feed/")
    assert b"<script>" not in r.content
    assert b"<img" not in r.content
    entry = parse_feed(r).entries[0]
    assert entry.title == "<script>alert(1)</script>"


def test_it_is_linked_from_every_page_in_the_pages_language(client):
    html = client.get("/ko/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" hreflang="ko" title="소식" '
        'href="/ko/news/feed/">'
    ) in html
