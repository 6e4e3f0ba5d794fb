"""Markup the sanitizer removes: the rest of the article stays, and the editor is told."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory
from tests.staff import csrf_post, staff_client

from .helpers_admin import article_change_data, article_data, article_url

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_keeps_the_rest_of_the_article_and_names_the_script(client, editor):
    body = "Intro\n\n<script>alert(1)</script>\n\nRest of the article"
    r = csrf_post(editor, article_url("add"), article_data(slug="script", body_en=body))

    assert r.status_code == 302
    assert "Removed from the English body: <script> element." in messages_of(r)
    Article.objects.filter(slug="script").update(status="published", publish_at=timezone.now())
    page = client.get("/en/news/script/").content.decode()
    assert "<p>Rest of the article</p>" in page
    assert "alert(1)" not in page


def test_it_keeps_the_rest_after_an_unclosed_style_and_says_so(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    body = "Intro\n\n<style>\n\nRest of the article"

    r = csrf_post(
        editor, article_url("change", article.pk), article_change_data(article, body_en=body)
    )

    assert "Removed from the English body: <style> tag." in messages_of(r)
    article.refresh_from_db()
    assert article.body_html_en == "<p>Intro</p>\n<p>Rest of the article</p>"


def test_it_names_the_language_and_each_removal(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    data = article_change_data(
        article,
        title_ko="기사",
        body_ko='본문 <img src=x onerror="alert(1)"> <em onclick="alert(1)">강조</em>',
    )

    r = csrf_post(editor, article_url("change", article.pk), data)

    assert messages_of(r).count("Removed from the Korean body: <img> tag, onclick attribute.") == 1
    assert not [message for message in messages_of(r) if "English body" in message]


def test_it_tells_the_editor_on_a_pending_change_too(editor):
    article = ArticleFactory()
    data = article_change_data(article, body_en="Text <script>alert(1)")

    r = csrf_post(editor, article_url("change", article.pk), data)

    assert "Removed from the English body: <script> tag." in messages_of(r)


def test_it_shows_staff_what_was_removed_on_the_preview(django_user_model):
    article = ArticleFactory(
        status=Article.Status.DRAFT,
        body_en="Intro <iframe src=https://evil.example></iframe>",
        title_ko="기사",
        body_ko="<p onclick=x>본문</p>",
    )
    clean = ArticleFactory(status=Article.Status.DRAFT)
    editor = staff_client(django_user_model, "editor")

    page = editor.get(f"/en/news/preview/{article.pk}/").content.decode()
    clean_page = editor.get(f"/en/news/preview/{clean.pk}/").content.decode()

    assert "preview-removed" in page
    assert "English body: &lt;iframe&gt; element" in page
    assert "Korean body: onclick attribute" in page
    assert "preview-removed" not in clean_page
