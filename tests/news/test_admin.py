"""The news desk in the admin: writing, validating, listing and filtering articles."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, CooperationFieldFactory, PartnershipFactory
from tests.news import helpers_admin
from tests.news.helpers_admin import (
    article_change_data,
    article_data,
    article_url,
    errors_of,
    png,
)

pytestmark = pytest.mark.django_db

# Fixtures shared by the news admin tests.
media_root = helpers_admin.media_root

ALT_REQUIRED = "alt text is required whenever an image is set"


def translated_article(**kwargs):
    """Return a public English article with a Korean translation saved against its original."""
    defaults = {"title_ko": "한국어 제목", "body_ko": "본문", "revision_en": 1, "revision_ko": 1}
    return ArticleFactory(**{**defaults, **kwargs})


def changelist_rows(client, **params):
    response = client.get(article_url("changelist"), params)
    assert response.status_code == 200
    return response, list(response.context["cl"].result_list)


def test_it_creates_a_draft_in_english_and_korean_with_its_links(admin_client):
    partnership = PartnershipFactory()
    field = CooperationFieldFactory()
    data = article_data(
        title_ko="경기도와 장쑤성, 자매결연",
        body_ko="두 지역이 **자매결연**을 맺었다.\n\n> 인용문",
        partnerships=[str(partnership.pk)],
        regions=[str(partnership.partner_region.pk)],
        fields=[str(field.pk)],
    )

    response = admin_client.post(article_url("add"), data)

    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None
    assert article.body_html_en == "<p>The two provinces <strong>signed</strong> an agreement.</p>"
    assert "<strong>자매결연</strong>" in article.body_html_ko
    assert "<blockquote>" in article.body_html_ko
    assert list(article.partnerships.all()) == [partnership]
    assert list(article.regions.all()) == [partnership.partner_region]
    assert list(article.fields.all()) == [field]
    assert article.available_languages() == ["en", "ko"]


def test_it_shows_the_add_form_with_language_tabs_and_error_marking(admin_client):
    response = admin_client.get(article_url("add"))

    page = response.content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    assert "tabbed_translation_fields.js" in page
    # The tab marking runs after modeltranslation has built the tabs.
    assert page.index("tabbed_translation_fields.js") < page.index("admin/translation_tabs.js")
    assert "/static/css/admin/news.css" in page
    assert 'id="news-tab-error-label"' in page
    # Derived and tracking fields are never typed in.
    form = response.context["adminform"].form
    for name in ("body_html_en", "renditions", "original_revision", "revision_ko"):
        assert name not in form.fields


def test_it_requires_the_title_in_the_original_language(admin_client):
    data = article_data(original_language="ko", title_en="Only English")

    response = admin_client.post(article_url("add"), data)

    assert response.status_code == 200
    assert "title_ko" in errors_of(response)
    assert "title_en" not in errors_of(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize("slug", ["feed", "preview"])
def test_it_refuses_a_slug_that_the_news_pages_use(admin_client, slug):
    response = admin_client.post(article_url("add"), article_data(slug=slug))

    assert response.status_code == 200
    assert "reserved" in errors_of(response)["slug"][0]
    assert not Article.objects.exists()


def test_it_accepts_an_article_written_in_korean_without_an_english_title(admin_client):
    data = article_data(original_language="ko", title_en="", body_en="", title_ko="한국어 기사")

    response = admin_client.post(article_url("add"), data)

    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.available_languages() == ["ko"]
    assert article.revision_ko == article.original_revision


def test_it_requires_alt_text_in_the_original_language_when_an_image_is_set(
    admin_client, media_root
):
    response = admin_client.post(article_url("add"), article_data(hero_image=png()))

    assert response.status_code == 200
    assert ALT_REQUIRED in " ".join(errors_of(response)["image_alt_en"])
    assert not Article.objects.exists()


def test_it_requires_alt_text_in_every_language_that_has_a_title(admin_client, media_root):
    data = article_data(hero_image=png(), image_alt_en="Two governors", title_ko="한국어 제목")

    response = admin_client.post(article_url("add"), data)

    assert response.status_code == 200
    assert list(errors_of(response)) == ["image_alt_ko"]


def test_it_does_not_ask_for_alt_text_without_an_image(admin_client):
    response = admin_client.post(article_url("add"), article_data(title_ko="한국어 제목"))

    assert response.status_code == 302, errors_of(response)


def test_it_stores_the_image_re_encoded_and_makes_its_renditions(admin_client, media_root):
    data = article_data(hero_image=png("photo.png"), image_alt_en="Two governors shake hands")

    response = admin_client.post(article_url("add"), data)

    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.hero_image.name.startswith("news/")
    assert not article.hero_image.name.endswith("photo.png")
    assert article.renditions == {"480": article.renditions["480"]}
    assert (media_root / article.renditions["480"]).exists()


def test_it_refuses_a_file_that_is_not_an_image(admin_client, media_root):
    fake = SimpleUploadedFile("hero.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    data = article_data(hero_image=fake, image_alt_en="Alt")

    response = admin_client.post(article_url("add"), data)

    assert response.status_code == 200
    assert "hero_image" in errors_of(response)
    assert not Article.objects.exists()


@time_machine.travel(datetime.datetime(2024, 6, 19, 1, 0, tzinfo=datetime.UTC), tick=False)
def test_it_publishes_now_when_published_without_a_publish_time(admin_client):
    response = admin_client.post(article_url("add"), article_data(status="published"))

    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.publish_at == timezone.now()
    assert article.is_public()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("had no publish time" in message for message in messages)


def test_it_keeps_a_publish_time_that_is_given(admin_client):
    data = article_data(status="published", publish_at_0="2030-01-02", publish_at_1="09:00:00")

    response = admin_client.post(article_url("add"), data)

    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert timezone.localtime(article.publish_at).isoformat().startswith("2030-01-02T09:00")
    assert not article.is_public()


def test_it_shows_each_language_state_in_the_change_list(admin_client):
    article = translated_article()
    article.body_en = "A new English body."
    article.original_revision = 2
    article.save()
    ArticleFactory(title_zh_hans="中文标题", revision_en=1, revision_zh_hans=1)

    response, _rows = changelist_rows(admin_client)

    page = response.content.decode()
    assert page.count("news-translation-original") == 2
    assert page.count("news-translation-stale") == 1
    assert page.count("news-translation-current") == 1
    assert page.count("news-translation-missing") == 2
    assert "out of date" in page
    assert page.count('<img src="/static/admin/img/icon-alert.svg" alt="">') == 1
    assert page.count('<img src="/static/admin/img/icon-no.svg" alt="">') == 2


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("missing-ko", ["no-korean"]),
        ("missing-zh-hans", ["korean", "stale-korean"]),
        ("stale-ko", ["stale-korean"]),
        ("stale", ["stale-korean"]),
    ],
)
def test_it_filters_by_missing_and_out_of_date_translations(admin_client, translation, expected):
    ArticleFactory(slug="no-korean", title_zh_hans="中文", revision_en=1, revision_zh_hans=1)
    translated_article(slug="korean")
    stale = translated_article(slug="stale-korean", original_revision=2, revision_en=2)
    assert stale.is_translation_stale("ko")

    _response, rows = changelist_rows(admin_client, translation=translation)

    assert sorted(article.slug for article in rows) == expected


def test_it_counts_a_korean_original_as_never_missing_korean(admin_client):
    ArticleFactory(slug="korean-original", original_language="ko", title_en="", title_ko="기사")

    _response, rows = changelist_rows(admin_client, translation="missing-ko")

    assert rows == []


def test_it_searches_titles_in_every_language(admin_client):
    translated_article(title_ko="장쑤성과 자매결연")
    ArticleFactory(title_zh_hans="江苏省")
    ArticleFactory(title_en="Something else")

    for query in ("장쑤", "江苏"):
        _response, rows = changelist_rows(admin_client, q=query)
        assert len(rows) == 1


def test_it_marks_a_published_article_with_a_future_time_as_scheduled(admin_client):
    ArticleFactory(publish_at=timezone.now() - datetime.timedelta(days=1))
    response, _rows = changelist_rows(admin_client)
    assert 'class="news-scheduled"' not in response.content.decode()
    ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1))

    response, _rows = changelist_rows(admin_client)

    assert 'class="news-scheduled"' in response.content.decode()


def test_it_links_to_the_preview_and_to_the_public_page_only_when_public(admin_client):
    public = ArticleFactory(slug="public-one")
    draft = ArticleFactory(slug="draft-one", status=Article.Status.DRAFT, publish_at=None)

    response, _rows = changelist_rows(admin_client)

    page = response.content.decode()
    assert f"/en/news/preview/{public.pk}/" in page
    assert f"/en/news/preview/{draft.pk}/" in page
    assert "/en/news/public-one/" in page
    assert "/en/news/draft-one/" not in page


def _count_changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        changelist_rows(client, translation="stale")
    return len(queries)


def test_it_lists_articles_with_as_many_queries_for_ten_times_the_data(admin_client):
    # Intended to prevent an n+1 issue: the language columns read only the row itself.
    partnership = PartnershipFactory()
    translated_article(partnerships=[partnership], original_revision=2)
    before = _count_changelist_queries(admin_client)
    for _ in range(9):
        translated_article(partnerships=[partnership], original_revision=2)
    assert Article.objects.count() == 10

    assert _count_changelist_queries(admin_client) == before


def test_it_saves_an_unchanged_article_from_its_change_form(admin_client):
    article = translated_article(partnerships=[PartnershipFactory()])

    response = admin_client.post(article_url("change", article.pk), article_change_data(article))

    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.original_revision == 1
    assert article.partnerships.count() == 1


def test_it_asks_to_confirm_translations_only_on_the_change_form(admin_client):
    article = translated_article()

    add_page = admin_client.get(article_url("add")).content.decode()
    change_page = admin_client.get(article_url("change", article.pk)).content.decode()

    assert 'name="confirm_' not in add_page
    # The original is always current: only the other languages have a box.
    assert 'name="confirm_en"' not in change_page
    assert 'name="confirm_ko"' in change_page
    assert 'name="confirm_zh_hans"' in change_page


def test_it_shows_the_form_again_when_a_failed_save_changed_the_original_language(admin_client):
    article = translated_article()
    data = article_change_data(article, original_language="zh-hans")

    response = admin_client.post(article_url("change", article.pk), data)

    assert response.status_code == 200
    assert list(errors_of(response)) == ["title_zh_hans"]
    article.refresh_from_db()
    assert article.original_language == "en"
