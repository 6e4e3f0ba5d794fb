"""An editor cannot publish by any route: the form, a crafted POST, revert, recover, delete."""

import datetime
import re

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Article, PendingChange
from tests.factories import ArticleFactory
from tests.staff import csrf_post

from .helpers_admin import article_change_data, article_data, article_url, split_datetime

pytestmark = pytest.mark.django_db

REFUSED = "Only a publisher can publish or archive an article"
UNPUBLISH_REFUSED = "Only a publisher can unpublish an article"
TIME_REFUSED = "Only a publisher can set or change the publish time."


def errors_of(response):
    form = response.context["adminform"].form
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=None, **kwargs)


def an_hour(hours):
    # Microseconds, as timezone.now() gives them: the form shows seconds only.
    return timezone.now() + datetime.timedelta(hours=hours, microseconds=123)


# ---- What an editor may do


def test_it_lets_an_editor_add_a_draft(editor):
    r = csrf_post(editor, article_url("add"), article_data())
    assert r.status_code == 302
    assert Article.objects.get().status == Article.Status.DRAFT


def test_it_lets_an_editor_submit_a_draft_for_review(editor):
    article = draft()
    url = article_url("change", article.pk)
    r = csrf_post(editor, url, article_change_data(article, status="review"))
    assert r.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_it_offers_an_editor_only_draft_and_review_and_a_read_only_publish_time(editor):
    r = editor.get(article_url("add"))
    form = r.context["adminform"].form
    assert [value for value, _label in form.fields["status"].widget.choices] == [
        "draft",
        "review",
    ]
    assert re.search(rb'<input[^>]*name="publish_at_0"[^>]*readonly', r.content)
    assert b'name="publish_at_0" class="vDateField' not in r.content


def test_it_keeps_an_editors_edit_of_a_published_article_for_a_publisher(editor):
    article = ArticleFactory(publish_at=an_hour(-1))
    url = article_url("change", article.pk)
    r = csrf_post(editor, url, article_change_data(article, title_en="Corrected title"))
    assert r.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    # The public text waits for a publisher (tests/news/test_pending_changes.py).
    assert saved.title_en == article.title_en
    assert PendingChange.objects.get(article=article).data["fields"] == {
        "title_en": "Corrected title"
    }
    # To the microsecond: the form's seconds-only time did not move it.
    assert (saved.status, saved.publish_at) == (Article.Status.PUBLISHED, article.publish_at)


def test_it_offers_an_editor_only_the_status_a_published_article_has(editor):
    article = ArticleFactory()
    r = editor.get(article_url("change", article.pk))
    choices = r.context["adminform"].form.fields["status"].widget.choices
    assert [value for value, _label in choices] == ["published"]


# ---- What an editor may not do, whatever the POST says


def test_it_refuses_an_editor_adding_a_published_article(editor):
    data = article_data(status="published", **split_datetime(an_hour(-1)))
    r = csrf_post(editor, article_url("add"), data)
    assert r.status_code == 200
    errors = errors_of(r)
    assert REFUSED in errors["status"]
    assert TIME_REFUSED in errors["publish_at"]
    assert not Article.objects.exists()


def test_it_refuses_an_editor_publishing_without_a_time(editor):
    """Published with no time would otherwise mean "now" (the form's default)."""
    article = draft()
    url = article_url("change", article.pk)
    r = csrf_post(editor, url, article_change_data(article, status="published"))
    assert r.status_code == 200
    assert REFUSED in errors_of(r)["status"]
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Article.Status.DRAFT, None)


def test_it_refuses_a_publish_time_in_an_editors_post(editor):
    article = draft()
    url = article_url("change", article.pk)
    data = article_change_data(article, status="review", **split_datetime(an_hour(24)))
    r = csrf_post(editor, url, data)
    assert r.status_code == 200
    assert errors_of(r) == {"publish_at": TIME_REFUSED}
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Article.Status.DRAFT, None)


def test_it_refuses_an_editor_moving_a_scheduled_article(editor):
    article = ArticleFactory(publish_at=an_hour(24))
    url = article_url("change", article.pk)
    r = csrf_post(editor, url, article_change_data(article, **split_datetime(an_hour(1))))
    assert errors_of(r) == {"publish_at": TIME_REFUSED}
    assert Article.objects.get(pk=article.pk).publish_at == article.publish_at


@pytest.mark.parametrize("status", ["archived", "draft", "review"])
def test_it_refuses_an_editor_archiving_or_unpublishing(editor, status):
    article = ArticleFactory()
    url = article_url("change", article.pk)
    r = csrf_post(editor, url, article_change_data(article, status=status))
    assert r.status_code == 200
    message = REFUSED if status == "archived" else UNPUBLISH_REFUSED
    assert message in errors_of(r)["status"]
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_it_refuses_an_editor_republishing_an_archived_article(editor):
    article = ArticleFactory(status=Article.Status.ARCHIVED)
    url = article_url("change", article.pk)
    r = csrf_post(editor, url, article_change_data(article, status="published"))
    assert REFUSED in errors_of(r)["status"]
    assert Article.objects.get(pk=article.pk).status == Article.Status.ARCHIVED


def test_it_gives_an_editor_no_delete(editor):
    article = ArticleFactory()
    assert editor.get(article_url("delete", article.pk)).status_code == 403
    changelist = editor.get(article_url("changelist"))
    assert b"delete_selected" not in changelist.content


# ---- History: reverting and recovering are routes too


def _saved_version(article, **changes):
    """Save the article with `changes` in a revision of its own; return that version."""
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
    return Version.objects.get_for_object(article).first()


def test_it_refuses_an_editor_reverting_an_archived_article_to_a_published_version(editor):
    article = ArticleFactory()
    published = _saved_version(article)
    _saved_version(article, status=Article.Status.ARCHIVED)
    url = article_url("revision", article.pk, published.pk)
    r = csrf_post(editor, url, article_change_data(article, status="published"))
    assert r.status_code == 200
    assert REFUSED in errors_of(r)["status"]
    assert Article.objects.get(pk=article.pk).status == Article.Status.ARCHIVED


def test_it_lets_an_editor_revert_text_but_not_status(editor):
    article = ArticleFactory(title_en="Old title")
    published = _saved_version(article)
    _saved_version(article, status=Article.Status.ARCHIVED, title_en="New title")
    url = article_url("revision", article.pk, published.pk)
    # What the revert form shows an editor: the old text, the article's own status and time.
    form = editor.get(url).context["adminform"].form
    assert form["status"].value() == "archived"
    data = article_change_data(article, status="archived", title_en="Old title")
    r = csrf_post(editor, url, data)
    assert r.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title_en, saved.status) == ("Old title", Article.Status.ARCHIVED)


def test_it_refuses_an_editor_recovering_a_deleted_article_as_published(editor):
    article = ArticleFactory()
    version = _saved_version(article)
    data = article_change_data(article)
    with reversion.create_revision():
        article.delete()
    url = reverse("admin:news_article_recover", args=(version.pk,))
    r = csrf_post(editor, url, data)
    assert r.status_code == 200
    assert REFUSED in errors_of(r)["status"]
    assert not Article.objects.exists()


# ---- A publisher


def test_it_lets_a_publisher_publish(publisher):
    article = draft()
    url = article_url("change", article.pk)
    r = csrf_post(publisher, url, article_change_data(article, status="published"))
    assert r.status_code == 302
    article.refresh_from_db()
    assert article.is_public()


def test_it_lets_a_publisher_schedule(publisher):
    article = draft()
    when = an_hour(48).replace(microsecond=0)
    url = article_url("change", article.pk)
    data = article_change_data(article, status="published", **split_datetime(when))
    assert csrf_post(publisher, url, data).status_code == 302
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Article.Status.PUBLISHED, when)
    assert not article.is_public()


def test_it_lets_a_publisher_unpublish_and_archive(publisher):
    article = ArticleFactory()
    url = article_url("change", article.pk)
    for status in ("draft", "archived"):
        assert csrf_post(publisher, url, article_change_data(article, status=status)).status_code
        article.refresh_from_db()
        assert article.status == status


def test_it_offers_a_publisher_every_status(publisher):
    form = publisher.get(article_url("add")).context["adminform"].form
    assert [v for v, _label in form.fields["status"].widget.choices] == [
        "draft",
        "review",
        "published",
        "archived",
    ]
