import datetime

import pytest
from django.utils import translation

from core.partial_dates import PartialDate, Precision
from relations.models import Partnership
from relations.timeline import partnership_timeline, with_timeline
from tests.factories import AgreementFactory, ArticleFactory, PartnershipFactory

from .helpers_public import hidden_article

pytestmark = pytest.mark.django_db


def _entries(partnership):
    partnership = with_timeline(Partnership.objects).get(pk=partnership.pk)
    return [
        entry for group in partnership_timeline(partnership=partnership) for entry in group.entries
    ]


def _news(partnership):
    return [entry for entry in _entries(partnership) if entry.kind == "news"]


def test_it_adds_a_public_article_to_the_timeline_of_its_partnership(client):
    partnership = PartnershipFactory()
    ArticleFactory(
        slug="sisterhood",
        title_en="From Friendship to Sisterhood",
        partnerships=[partnership],
        # 20:00 UTC on 18 June is 19 June in Seoul, the office's time zone.
        publish_at=datetime.datetime(2024, 6, 18, 20, tzinfo=datetime.UTC),
    )
    [entry] = _news(partnership)
    assert entry.date == PartialDate(datetime.date(2024, 6, 19), Precision.DAY)
    assert entry.title.text == "From Friendship to Sisterhood"
    assert entry.url == "/en/news/sisterhood/"
    assert entry.label == "news"


def test_it_orders_news_among_the_other_entries_by_date():
    partnership = PartnershipFactory()
    AgreementFactory(partnership=partnership, signed_on=datetime.date(2024, 6, 19))
    ArticleFactory(
        partnerships=[partnership], publish_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    ArticleFactory(
        partnerships=[partnership], publish_at=datetime.datetime(2024, 7, 1, tzinfo=datetime.UTC)
    )
    assert [entry.kind for entry in _entries(partnership)] == ["news", "agreement", "news"]


def test_it_leaves_out_articles_of_other_partnerships():
    partnership = PartnershipFactory()
    ArticleFactory(partnerships=[PartnershipFactory()])
    ArticleFactory()
    assert _news(partnership) == []


@pytest.mark.parametrize("state", ["draft", "in review", "archived", "scheduled"])
def test_it_leaves_out_articles_that_are_not_public(state):
    partnership = PartnershipFactory()
    hidden_article(state, partnerships=[partnership])
    assert _news(partnership) == []


def test_it_shows_the_title_in_the_visitors_language_or_marks_the_fallback():
    partnership = PartnershipFactory()
    ArticleFactory(partnerships=[partnership], title_en="Sisterhood", title_ko="자매결연")
    ArticleFactory(partnerships=[partnership], title_en="Only English")
    with translation.override("ko"):
        titles = {(e.title.text, e.title.is_fallback) for e in _news(partnership)}
    assert titles == {("자매결연", False), ("Only English", True)}


def test_it_shows_the_news_entry_on_the_partnership_page(client):
    partnership = PartnershipFactory()
    ArticleFactory(slug="sisterhood", title_en="Sisterhood signed", partnerships=[partnership])
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert 'class="timeline-entry timeline-news"' in html
    assert '<a href="/en/news/sisterhood/">Sisterhood signed</a>' in html
