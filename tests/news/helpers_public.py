"""Test data and readers for the public news pages, feed, sitemap and timeline."""

import datetime
import json
import re

import feedparser
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory

# Each way an article stays out of public view, as factory arguments.
HIDDEN = {
    "draft": lambda: {"status": Article.Status.DRAFT},
    "in review": lambda: {"status": Article.Status.REVIEW},
    "archived": lambda: {"status": Article.Status.ARCHIVED},
    "scheduled": lambda: {"publish_at": timezone.now() + datetime.timedelta(days=1)},
}


def hidden_article(state, **kwargs):
    return ArticleFactory(**HIDDEN[state](), **kwargs)


def with_hero(article, alt="Two governors shake hands", caption="At Dodamso"):
    """Give the article a hero image with renditions; names only, no file is written."""
    article.hero_image = "news/handshake.jpg"
    article.renditions = {
        "480": "news/renditions/handshake-480.webp",
        "960": "news/renditions/handshake-960.webp",
    }
    article.image_alt_en = alt
    article.image_caption_en = caption
    article.save()
    return article


def bilingual_article(**kwargs):
    """An article written in English with a Korean translation, and no Chinese."""
    defaults = {
        "title_en": "From Friendship to Sisterhood",
        "title_ko": "우호에서 자매결연으로",
        "summary_en": "Gyeonggi and Jiangsu become sister regions.",
        "summary_ko": "경기도와 장쑤성이 자매결연을 맺었다.",
        "body_en": "> A new chapter.\n\n- one\n- two",
        "body_ko": "> 새로운 장.\n\n- 하나\n- 둘",
        "revision_ko": 1,
    }
    return ArticleFactory(**{**defaults, **kwargs})


def listed_slugs(response):
    """Return the slugs of the articles linked from a list page, in order."""
    html = response.content.decode()
    main = html[html.index('<main id="main"') :]
    return re.findall(r'<h2 class="card-title h4"><a href="/\w[\w-]*/news/([\w-]+)/"', main)


def parse_feed(response):
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return json.loads(match.group(1))


def hreflangs(html):
    return re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="[^"]+">', html)
