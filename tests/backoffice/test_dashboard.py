import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from backoffice import dashboard
from core.partial_dates import Precision
from news.models import Article, PendingChange
from relations.models import Partnership
from tests.factories import (
    ArticleFactory,
    ExchangeFactory,
    PartnershipFactory,
    PendingChangeFactory,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
# Monday 2 March 2026, 9 in the morning in Seoul.
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SEOUL)
TODAY = datetime.date(2026, 3, 2)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _began(on, precision=Precision.DAY, **kwargs):
    return PartnershipFactory(began_on=on, began_on_precision=precision, **kwargs)


def _staff_with(*codenames):
    user = get_user_model().objects.create_user("staff", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_it_lists_articles_awaiting_review(django_assert_num_queries):
    waiting = ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    ArticleFactory()

    # One query, however many articles wait.
    with django_assert_num_queries(1):
        articles = dashboard.articles_awaiting_review()

    assert articles == [waiting]


def test_it_lists_pending_changes_longest_waiting_first(django_assert_num_queries):
    author = get_user_model().objects.create_user("writer", is_staff=True)
    newer = PendingChangeFactory(author=author)
    older = PendingChangeFactory(author=author)
    PendingChange.objects.filter(pk=older.pk).update(updated_at=NOW - datetime.timedelta(days=2))

    # One query, with each change's article and author.
    with django_assert_num_queries(1):
        changes = dashboard.pending_changes()
        assert [(c.article, c.author) for c in changes] == [
            (older.article, author),
            (newer.article, author),
        ]


def test_it_shows_pending_changes_on_the_admin_home(admin_client):
    pending = PendingChangeFactory(article=ArticleFactory(title_en="Corrected D"))

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert 'id="dashboard-pending"' in page
    assert reverse("admin:news_article_change", args=[pending.article.pk]) in page
    assert f"/en/news/preview/{pending.article.pk}/?pending=1" in page
    assert "by a deleted user" in page


def test_it_lists_scheduled_articles_soonest_first(django_assert_num_queries):
    later = ArticleFactory(publish_at=NOW + datetime.timedelta(days=3))
    sooner = ArticleFactory(publish_at=NOW + datetime.timedelta(minutes=5))
    ArticleFactory(publish_at=NOW - datetime.timedelta(minutes=5))
    ArticleFactory(status=Article.Status.DRAFT, publish_at=NOW + datetime.timedelta(days=1))

    with django_assert_num_queries(1):
        articles = dashboard.articles_scheduled()

    assert articles == [sooner, later]


def test_it_lists_public_articles_missing_korean_or_chinese(django_assert_num_queries):
    no_chinese = ArticleFactory(title_ko="한국어 제목")
    neither = ArticleFactory()
    ArticleFactory(title_ko="한국어 제목", title_zh_hans="中文标题")
    ArticleFactory(publish_at=NOW + datetime.timedelta(days=1))  # scheduled: not public yet
    ArticleFactory(status=Article.Status.DRAFT, publish_at=None)

    with django_assert_num_queries(1):
        articles = dashboard.articles_missing_translation()

    assert {article: article.missing_languages for article in articles} == {
        no_chinese: ["zh-hans"],
        neither: ["ko", "zh-hans"],
    }


def test_it_lists_partnerships_without_an_exchange_in_three_years(django_assert_num_queries):
    recent = ExchangeFactory(starts_on=datetime.date(2024, 5, 1)).partnership
    stale = ExchangeFactory(starts_on=datetime.date(2023, 3, 1)).partnership
    undated = ExchangeFactory(starts_on=None).partnership
    ExchangeFactory(partnership=undated, starts_on=None)
    # Known only to the year 2023: it may have been after 2 March 2023, so it counts.
    year_only = ExchangeFactory(
        starts_on=datetime.date(2023, 1, 1), starts_on_precision=Precision.YEAR
    ).partnership
    silent = PartnershipFactory()
    PartnershipFactory(status=Partnership.Status.DORMANT)

    # One query for the partnerships, their latest exchange and their undated ones.
    with django_assert_num_queries(1):
        partnerships = dashboard.partnerships_dormant_candidates()

    assert set(partnerships) == {stale, undated, silent}
    assert recent not in partnerships and year_only not in partnerships
    found = {partnership: partnership for partnership in partnerships}
    assert found[stale].last_exchange.date == datetime.date(2023, 3, 1)
    assert found[undated].last_exchange is None
    assert found[undated].undated_exchanges == 2
    assert found[silent].undated_exchanges == 0


def test_it_lists_round_anniversaries_in_the_next_90_days(django_assert_num_queries):
    tenth = _began(datetime.date(2016, 4, 15))
    fifth_by_month = _began(datetime.date(2021, 5, 1), Precision.MONTH)
    _began(datetime.date(2016, 1, 1), Precision.YEAR)  # no day to count from: skipped
    _began(datetime.date(2019, 4, 1))  # 7 years: not a round number
    _began(datetime.date(2016, 6, 1))  # 92 days away
    _began(datetime.date(2006, 3, 20), status=Partnership.Status.ENDED)
    PartnershipFactory()  # beginning not recorded

    with django_assert_num_queries(1):
        anniversaries = dashboard.partnership_anniversaries()

    assert [(a.partnership, a.years, a.date) for a in anniversaries] == [
        (tenth, 10, datetime.date(2026, 4, 15)),
        (fifth_by_month, 5, datetime.date(2026, 5, 1)),
    ]
    assert str(anniversaries[1].when) == "May 2026"


def test_it_counts_anniversaries_into_the_next_year():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=SEOUL), tick=False):
        twentieth = _began(datetime.date(2007, 1, 10))
        anniversaries = dashboard.partnership_anniversaries()

    assert [(a.partnership, a.years) for a in anniversaries] == [(twentieth, 20)]


def test_it_shows_every_list_on_the_admin_home(admin_client):
    review = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, title_en="Draft A")
    scheduled = ArticleFactory(publish_at=NOW + datetime.timedelta(days=1), title_en="Soon B")
    untranslated = ArticleFactory(title_en="Only English C")
    dormant = PartnershipFactory()
    anniversary = _began(datetime.date(2016, 4, 15))
    ExchangeFactory(partnership=anniversary, starts_on=datetime.date(2025, 9, 1))

    r = admin_client.get(reverse("admin:index"))

    page = r.content.decode()
    for article in (review, scheduled, untranslated):
        assert reverse("admin:news_article_change", args=[article.pk]) in page
    for partnership in (dormant, anniversary):
        assert reverse("admin:relations_partnership_change", args=[partnership.pk]) in page
    assert "10 years on 15 April 2026" in page
    assert "without a recorded date do not count as recent" in page
    assert "known only to the year has no day to count" in page
    # Django's own list of models still follows.
    assert 'id="content-main"' in page


def test_it_hides_article_lists_from_staff_who_cannot_view_articles(client):
    ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    client.force_login(_staff_with("view_partnership"))

    r = client.get(reverse("admin:index"))

    page = r.content.decode()
    assert 'id="dashboard-review"' not in page
    assert 'id="dashboard-pending"' not in page
    assert 'id="dashboard-untranslated"' not in page
    assert 'id="dashboard-dormant"' in page
    assert 'id="dashboard-anniversaries"' in page


def test_it_hides_partnership_lists_from_staff_who_cannot_view_partnerships(client):
    PartnershipFactory()
    client.force_login(_staff_with("view_article"))

    r = client.get(reverse("admin:index"))

    page = r.content.decode()
    assert 'id="dashboard-review"' in page
    assert 'id="dashboard-scheduled"' in page
    assert 'id="dashboard-dormant"' not in page
    assert 'id="dashboard-anniversaries"' not in page
