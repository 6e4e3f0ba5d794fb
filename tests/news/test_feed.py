import datetime
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils import timezone

from core.cache import content_changed
from tests.factories import ArticleFactory

from .helpers_public import bilingual_article, hidden_article, listed_slugs, parse_feed

pytestmark = pytest.mark.django_db

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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
    # No change note: updated when published, however often staff saved it since.
    assert entry.updated == "2024-06-19T01:00:00+00:00"
    assert entry.author == "International Relations Office"


def test_it_lists_in_each_language_what_that_languages_news_list_lists(client):
    bilingual_article(slug="both")
    ArticleFactory(slug="english-only")
    ArticleFactory(slug="chinese-only", title_en="", title_zh_hans="只有中文")
    ArticleFactory(slug="korean-only", title_en="", title_ko="한국어만")
    hidden_article("draft", slug="draft")
    hidden_article("scheduled", slug="scheduled")
    for language in ["en", "ko", "zh-hans"]:
        feed = parse_feed(client.get(f"/{language}/news/feed/"))
        listed = listed_slugs(client.get(f"/{language}/news/"))
        assert [e.link.split("/")[-2] for e in feed.entries] == listed, language
        assert len(listed) == 4


def test_it_lists_the_news_lists_first_page_first(client):
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(12):
        ArticleFactory(slug=f"day-{day:02}", publish_at=start + datetime.timedelta(days=day))
    feed = parse_feed(client.get("/zh-hans/news/feed/"))
    slugs = [entry.link.split("/")[-2] for entry in feed.entries]
    assert slugs[:10] == listed_slugs(client.get("/zh-hans/news/"))
    assert slugs[10:] == listed_slugs(client.get("/zh-hans/news/?page=2"))


def test_it_marks_each_entry_with_the_language_of_its_text(client):
    bilingual_article(slug="both")
    ArticleFactory(slug="chinese-only", title_en="", title_zh_hans="只有中文", summary_en="")
    chinese = parse_feed(client.get("/zh-hans/news/feed/"))
    assert chinese.feed.language == "zh-hans"
    by_slug = {entry.link.split("/")[-2]: entry for entry in chinese.entries}
    # The Chinese page shows the bilingual article in English, its first language.
    assert by_slug["both"].title == "From Friendship to Sisterhood"
    assert by_slug["both"].title_detail.language == "en"
    assert by_slug["both"].summary_detail.language == "en"
    assert by_slug["chinese-only"].title_detail.language == "zh-hans"
    korean = parse_feed(client.get("/ko/news/feed/"))
    assert {entry.title_detail.language for entry in korean.entries} == {"ko", "zh-hans"}
    assert sorted(_entry_languages(client.get("/ko/news/feed/"))) == ["ko", "zh-hans"]


def test_it_marks_a_summary_in_another_language_than_its_title(client):
    ArticleFactory(title_ko="장쑤성 대표단", summary_en="A delegation from Jiangsu.")
    entry = parse_feed(client.get("/ko/news/feed/")).entries[0]
    assert entry.title_detail.language == "ko"
    assert entry.summary_detail.language == "en"
    assert entry.summary == "A delegation from Jiangsu."


def test_it_is_updated_when_its_newest_entry_was_not_when_requested(client):
    with time_machine.travel(at(2024, 6, 19, 9), tick=False):
        ArticleFactory(slug="older", publish_at=at(2024, 6, 1))
        ArticleFactory(slug="newer", publish_at=at(2024, 6, 19, 8))
    with time_machine.travel(at(2025, 1, 1), tick=False):
        feed = parse_feed(client.get("/zh-hans/news/feed/"))
    assert feed.feed.updated == max(entry.updated for entry in feed.entries)
    assert not feed.feed.updated.startswith("2025")


def test_an_empty_feed_reads_the_same_on_every_request(client):
    first = client.get("/zh-hans/news/feed/").content
    content_changed()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert client.get("/zh-hans/news/feed/").content == first
    updated = parse_feed(client.get("/zh-hans/news/feed/")).feed.updated
    assert updated == "1970-01-01T00:00:00+00:00"


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


def _entry_languages(response):
    """Return each entry's xml:lang, read from the XML itself."""
    root = ElementTree.fromstring(response.content)
    return [entry.get(XML_LANG) for entry in root.iter(f"{{{ATOM}}}entry")]
