"""Translations never go stale unnoticed: the revision rule, through the service and the admin."""

import pytest

from news.models import Article
from news.translation_tracking import article_track_translations
from tests.factories import ArticleFactory
from tests.news.helpers_admin import (
    article_change_data,
    article_data,
    article_url,
    errors_of,
)

pytestmark = pytest.mark.django_db

# Fixtures shared by the news admin tests.

STALE_NOTICE = "This translation may be out of date"


def tracked_save(article, *, confirmed=()):
    """Save the article as the admin does: track against the row in the database first."""
    previous = Article.objects.get(pk=article.pk)
    article_track_translations(article=article, previous=previous, confirmed_languages=confirmed)
    article.save()
    article.refresh_from_db()
    return article


@pytest.fixture
def article():
    """An English article with a Korean translation, both saved through the rule."""
    article = ArticleFactory.build(title_ko="한국어 제목", body_ko="한국어 본문")
    article_track_translations(article=article, previous=None)
    article.save()
    return article


# ---- The service


def test_it_gives_every_language_of_a_new_article_the_current_revision(article):
    assert article.original_revision == 1
    assert (article.revision_en, article.revision_ko, article.revision_zh_hans) == (1, 1, None)
    assert not article.is_translation_stale("ko")


def test_it_makes_the_korean_stale_when_the_english_body_changes(article):
    article.body_en = "A corrected English body."

    article = tracked_save(article)

    assert article.original_revision == 2
    assert article.revision_en == 2
    assert article.is_translation_stale("ko")
    assert not article.is_translation_stale("en")


@pytest.mark.parametrize("field", ["title_en", "summary_en", "body_en"])
def test_it_counts_each_text_field_of_the_original(article, field):
    setattr(article, field, "Changed")

    assert tracked_save(article).is_translation_stale("ko")


def test_it_ignores_a_change_to_the_original_that_is_not_text_to_translate(article):
    article.image_caption_en = "A new caption"
    article.status = Article.Status.DRAFT

    article = tracked_save(article)

    assert article.original_revision == 1
    assert not article.is_translation_stale("ko")


def test_it_makes_the_korean_current_again_when_its_text_is_saved(article):
    article.body_en = "A corrected English body."
    article = tracked_save(article)
    article.body_ko = "고친 한국어 본문"

    article = tracked_save(article)

    assert article.revision_ko == article.original_revision == 2
    assert not article.is_translation_stale("ko")


def test_it_makes_the_korean_current_when_a_translator_confirms_it(article):
    article.body_en = "A corrected English body."
    article = tracked_save(article)

    article = tracked_save(article, confirmed=["ko"])

    assert article.body_ko == "한국어 본문"
    assert not article.is_translation_stale("ko")


def test_it_never_makes_the_original_stale_when_only_the_korean_changes(article):
    article.body_ko = "고친 한국어 본문"

    article = tracked_save(article)

    assert article.original_revision == 1
    assert not article.is_translation_stale("en")
    assert not article.is_translation_stale("ko")


def test_it_gives_a_new_translation_the_current_revision(article):
    article.body_en = "A corrected English body."
    article = tracked_save(article)
    article.title_zh_hans = "中文标题"

    article = tracked_save(article)

    assert article.revision_zh_hans == 2
    assert not article.is_translation_stale("zh-hans")
    assert article.is_translation_stale("ko")


def test_it_tracks_the_original_language_whichever_it_is():
    article = ArticleFactory.build(original_language="ko", title_en="English", title_ko="기사")
    article_track_translations(article=article, previous=None)
    article.save()
    article.body_ko = "고친 본문"

    article = tracked_save(article)

    assert article.is_translation_stale("en")
    assert not article.is_translation_stale("ko")


def test_it_clears_the_revision_of_a_translation_that_was_removed(article):
    article.title_ko = article.body_ko = ""

    article = tracked_save(article)

    assert article.revision_ko is None
    assert not article.is_translation_stale("ko")


# ---- Through the admin


def edit(client, article, **changes):
    response = client.post(
        article_url("change", article.pk), article_change_data(article, **changes)
    )
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    return article


def stale_korean_in_changelist(client):
    response = client.get(article_url("changelist"), {"translation": "stale-ko"})
    return list(response.context["cl"].result_list)


def test_it_marks_the_korean_stale_in_the_admin_when_the_english_body_is_edited(admin_client):
    response = admin_client.post(
        article_url("add"), article_data(title_ko="한국어 제목", body_ko="한국어 본문")
    )
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert stale_korean_in_changelist(admin_client) == []

    article = edit(admin_client, article, body_en="The English body, corrected.")

    assert article.is_translation_stale("ko")
    assert stale_korean_in_changelist(admin_client) == [article]
    changelist = admin_client.get(article_url("changelist")).content.decode()
    assert "news-translation-stale" in changelist
    form = admin_client.get(article_url("change", article.pk)).content.decode()
    assert STALE_NOTICE in form


def test_it_makes_the_korean_current_when_the_translator_saves_new_korean_text(admin_client):
    article = ArticleFactory(title_ko="한국어 제목", body_ko="한국어 본문")
    article = edit(admin_client, article, body_en="The English body, corrected.")
    assert article.is_translation_stale("ko")

    article = edit(admin_client, article, body_ko="고친 한국어 본문")

    assert not article.is_translation_stale("ko")
    assert stale_korean_in_changelist(admin_client) == []
    form = admin_client.get(article_url("change", article.pk)).content.decode()
    assert STALE_NOTICE not in form


def test_it_makes_the_korean_current_when_the_translator_ticks_the_checked_box(admin_client):
    article = ArticleFactory(title_ko="한국어 제목", body_ko="한국어 본문")
    article = edit(admin_client, article, body_en="The English body, corrected.")

    article = edit(admin_client, article, confirm_ko="on")

    assert article.body_ko == "한국어 본문"
    assert not article.is_translation_stale("ko")
    assert stale_korean_in_changelist(admin_client) == []


def test_it_never_makes_the_english_stale_when_only_the_korean_is_edited(admin_client):
    article = ArticleFactory(title_ko="한국어 제목", body_ko="한국어 본문")

    article = edit(admin_client, article, body_ko="고친 한국어 본문", title_ko="고친 제목")

    assert article.original_revision == 1
    assert not article.is_translation_stale("en")
    response = admin_client.get(article_url("changelist"), {"translation": "stale"})
    assert list(response.context["cl"].result_list) == []


def test_it_describes_the_translations_as_saved_when_a_save_fails(admin_client):
    article = ArticleFactory(revision_en=1)
    data = article_change_data(article, title_ko="새 한국어 제목", title_en="")

    response = admin_client.post(article_url("change", article.pk), data)

    assert list(errors_of(response)) == ["title_en"]
    page = response.content.decode()
    # The Korean text is not saved yet: not "out of date", still missing.
    assert STALE_NOTICE not in page
    assert "news-translation-stale" not in page
    assert "news-translation-missing" in page
