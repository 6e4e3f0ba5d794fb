"""An editor's change to a published article waits for a publisher; the public sees no change."""

import datetime
import re

import pytest
import reversion
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Article, PendingChange
from tests.factories import ArticleFactory, PartnershipFactory, PendingChangeFactory
from tests.staff import csrf_post

from .helpers_admin import article_change_data, article_url, media_root, png
from .helpers_public import parse_feed

pytestmark = pytest.mark.django_db

# Fixtures shared with the other news admin tests.
media_root = media_root

OLD_BODY = "The two provinces signed an agreement."
NEW_BODY = "The two provinces signed a **sisterhood** agreement at Dodamso."
PENDING_SAVED = "Your changes are saved as a pending change."


@pytest.fixture
def live():
    """A public article, saved in a revision as the admin would have."""
    with reversion.create_revision():
        article = ArticleFactory(slug="sisterhood", title_en="Sisterhood", body_en=OLD_BODY)
    return article


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit(client, article, **changes):
    return csrf_post(
        client, article_url("change", article.pk), article_change_data(article, **changes)
    )


def pending_url(action, article):
    return reverse(f"admin:news_article_pending_{action}", args=(article.pk,))


def press(client, action, article):
    """Press the change form's button that publishes or discards the pending change."""
    page = client.get(article_url("change", article.pk))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)
    return client.post(pending_url(action, article), {"csrfmiddlewaretoken": token.decode()})


def comments(article):
    versions = Version.objects.get_for_object(article).select_related("revision")
    return [version.revision.get_comment() for version in versions.order_by("pk")]


# ---- An editor's change to a published article


def test_it_keeps_an_editors_change_to_a_published_article_from_the_public(client, editor, live):
    r = edit(editor, live, body_en=NEW_BODY, summary_en="A new summary.")

    assert r.status_code == 302
    assert any(PENDING_SAVED in message for message in messages_of(r))
    page = client.get("/en/news/sisterhood/").content.decode()
    assert OLD_BODY in page
    assert "sisterhood</strong>" not in page
    assert parse_feed(client.get("/en/news/feed/")).entries[0].summary == "A summary."
    live.refresh_from_db()
    assert (live.body_en, live.summary_en) == (OLD_BODY, "A summary.")
    pending = PendingChange.objects.get(article=live)
    assert pending.author.username == "editor-user"
    assert pending.data["fields"] == {"summary_en": "A new summary.", "body_en": NEW_BODY}


def test_it_shows_the_editor_their_pending_text_when_they_open_the_article_again(editor, live):
    edit(editor, live, body_en=NEW_BODY)

    r = editor.get(article_url("change", live.pk))

    assert r.context["adminform"].form["body_en"].value() == NEW_BODY
    assert "The form below shows the text with the pending change." in r.content.decode()


def test_it_builds_a_second_edit_on_the_pending_change(editor, live):
    edit(editor, live, body_en=NEW_BODY)
    data = article_change_data(live, body_en=NEW_BODY, title_en="Sisterhood signed")

    csrf_post(editor, article_url("change", live.pk), data)

    pending = PendingChange.objects.get(article=live)
    assert pending.data["fields"] == {"title_en": "Sisterhood signed", "body_en": NEW_BODY}
    live.refresh_from_db()
    assert live.title_en == "Sisterhood"


def test_it_keeps_a_change_of_links_as_pending(editor, live):
    partnership = PartnershipFactory()

    edit(editor, live, partnerships=[str(partnership.pk)])

    assert list(live.partnerships.all()) == []
    assert PendingChange.objects.get(article=live).data["links"] == {
        "partnerships": [partnership.pk]
    }


def test_it_treats_a_scheduled_article_as_published(editor):
    scheduled = ArticleFactory(body_en=OLD_BODY, publish_at=timezone.now() + datetime.timedelta(1))

    edit(editor, scheduled, body_en=NEW_BODY)

    scheduled.refresh_from_db()
    assert scheduled.body_en == OLD_BODY
    assert PendingChange.objects.filter(article=scheduled).exists()


def test_it_makes_no_pending_change_of_the_published_text(editor, live):
    r = edit(editor, live)

    assert r.status_code == 302
    assert not PendingChange.objects.exists()


def test_it_lets_an_editor_change_a_draft_directly(editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, body_en=OLD_BODY)

    r = edit(editor, draft, body_en=NEW_BODY)

    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.body_en == NEW_BODY
    assert not PendingChange.objects.exists()


def test_it_lets_a_publisher_change_a_published_article_directly(client, publisher, live):
    edit(publisher, live, body_en=NEW_BODY)

    assert "<strong>sisterhood</strong>" in client.get("/en/news/sisterhood/").content.decode()
    assert not PendingChange.objects.exists()


def test_it_ignores_a_new_image_from_an_editor_on_a_published_article(editor, live, media_root):
    form = editor.get(article_url("change", live.pk)).context["adminform"].form
    assert form.fields["hero_image"].disabled

    edit(editor, live, hero_image=png(), image_alt_en="A handshake")

    live.refresh_from_db()
    assert not live.hero_image
    assert not list(media_root.rglob("*.png"))


def test_it_refuses_to_replace_a_pending_change_saved_since_the_form_was_opened(
    django_user_model, editor, live
):
    url = article_url("change", live.pk)
    opened = editor.get(url)
    other = django_user_model.objects.create_user("other-editor", is_staff=True)
    other.groups.add(Group.objects.get(name="editor"))
    other_client = Client(enforce_csrf_checks=True)
    other_client.force_login(other)
    csrf_post(other_client, url, article_change_data(live, title_en="Another title"))
    data = article_change_data(live, body_en=NEW_BODY)
    data["pending_stamp"] = opened.context["adminform"].form["pending_stamp"].value()
    data["edit_conflict_token"] = opened.context["adminform"].form["edit_conflict_token"].value()
    token = opened.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    r = editor.post(url, {**data, "csrfmiddlewaretoken": token})

    assert r.status_code == 200
    assert "Someone saved, published or discarded a pending change" in r.content.decode()
    assert PendingChange.objects.get(article=live).data["fields"] == {"title_en": "Another title"}


# ---- What a publisher sees and does


def test_it_lists_pending_changes_on_the_dashboard(publisher, editor, live):
    edit(editor, live, body_en=NEW_BODY)

    page = publisher.get(reverse("admin:index")).content.decode()

    assert 'id="dashboard-pending"' in page
    assert reverse("admin:news_article_change", args=(live.pk,)) in page
    assert f"/en/news/preview/{live.pk}/?pending=1" in page
    assert "by editor-user" in page


def test_it_tells_a_publisher_who_changed_what(publisher, editor, live):
    edit(editor, live, body_en=NEW_BODY)

    page = publisher.get(article_url("change", live.pk)).content.decode()

    assert "editor-user saved a change to this published article" in page
    assert "It changes: Body (English)" in page
    assert pending_url("publish", live) in page
    assert pending_url("discard", live) in page
    # A publisher's form shows the article as published.
    assert OLD_BODY in page


def test_it_previews_the_pending_change(publisher, editor, live):
    edit(editor, live, body_en=NEW_BODY)

    pending = publisher.get(f"/en/news/preview/{live.pk}/?pending=1").content.decode()
    published = publisher.get(f"/en/news/preview/{live.pk}/").content.decode()

    assert "<strong>sisterhood</strong>" in pending
    assert "This preview shows the pending change that editor-user saved" in pending
    assert "<strong>sisterhood</strong>" not in published


def test_it_publishes_the_pending_change(client, publisher, editor, live):
    edit(editor, live, body_en=NEW_BODY)

    r = press(publisher, "publish", live)

    assert r.status_code == 302
    assert "<strong>sisterhood</strong>" in client.get("/en/news/sisterhood/").content.decode()
    assert not PendingChange.objects.exists()
    live.refresh_from_db()
    assert (live.status, live.original_revision) == (Article.Status.PUBLISHED, 2)


def test_it_records_the_pending_change_and_its_publication_in_the_history(publisher, editor, live):
    edit(editor, live, body_en=NEW_BODY)
    press(publisher, "publish", live)

    versions = list(Version.objects.get_for_object(live).select_related("revision__user"))
    published, saved = versions[0], versions[1]
    assert saved.revision.user.username == "editor-user"
    assert saved.revision.comment.startswith("Saved a pending change")
    # The article as the public still saw it: the pending text is not a published version.
    assert saved.field_dict["body_en"] == OLD_BODY
    assert published.revision.user.username == "publisher-user"
    assert published.revision.comment == "Published the pending change by editor-user."
    assert published.field_dict["body_en"] == NEW_BODY
    page = publisher.get(article_url("history", live.pk)).content.decode()
    assert "Saved a pending change" in page
    assert "Published the pending change by editor-user." in page


def test_it_discards_the_pending_change(client, publisher, editor, live):
    edit(editor, live, body_en=NEW_BODY)

    press(publisher, "discard", live)

    assert not PendingChange.objects.exists()
    assert OLD_BODY in client.get("/en/news/sisterhood/").content.decode()
    assert comments(live)[-1] == "Discarded the pending change by editor-user."


def test_it_refuses_an_editor_publishing_a_pending_change(editor, live):
    edit(editor, live, body_en=NEW_BODY)
    page = editor.get(article_url("change", live.pk)).content.decode()
    assert pending_url("publish", live) not in page

    r = press(editor, "publish", live)

    assert r.status_code == 403
    live.refresh_from_db()
    assert live.body_en == OLD_BODY
    assert PendingChange.objects.filter(article=live).exists()


def test_it_refuses_to_publish_a_pending_change_by_get(publisher, editor, live):
    edit(editor, live, body_en=NEW_BODY)
    assert publisher.get(pending_url("publish", live)).status_code == 405


# ---- Reverting is a route too


def test_it_keeps_an_editors_revert_of_a_published_article_as_pending(client, editor, live):
    with reversion.create_revision():
        live.body_en = NEW_BODY
        live.save()
    old = Version.objects.get_for_object(live).last()
    url = article_url("revision", live.pk, old.pk)

    r = csrf_post(editor, url, article_change_data(live, body_en=OLD_BODY))

    assert r.status_code == 302
    assert "<strong>sisterhood</strong>" in client.get("/en/news/sisterhood/").content.decode()
    live.refresh_from_db()
    assert live.body_en == NEW_BODY
    assert PendingChange.objects.get(article=live).data["fields"] == {"body_en": OLD_BODY}
    assert comments(live)[-1].startswith("Saved a pending change")
    assert Version.objects.get_for_object(live).first().field_dict["body_en"] == NEW_BODY


def test_it_says_why_a_pending_change_cannot_be_published(publisher, editor, live):
    edit(editor, live, slug="sisterhood-signed")
    ArticleFactory(slug="sisterhood-signed")

    r = press(publisher, "publish", live)

    assert messages_of(r) == [
        "The pending change cannot be published: Article with this Slug already exists."
    ]
    live.refresh_from_db()
    assert live.slug == "sisterhood"
    assert PendingChange.objects.filter(article=live).exists()


def test_it_lets_the_author_take_back_their_pending_change(editor, live):
    edit(editor, live, body_en=NEW_BODY)
    assert (
        pending_url("discard", live) in editor.get(article_url("change", live.pk)).content.decode()
    )

    press(editor, "discard", live)

    assert not PendingChange.objects.exists()


def test_it_refuses_an_editor_discarding_someone_elses_pending_change(
    django_user_model, editor, live
):
    someone = django_user_model.objects.create_user("someone", is_staff=True)
    PendingChangeFactory(article=live, author=someone)

    assert press(editor, "discard", live).status_code == 403
    assert PendingChange.objects.filter(article=live).exists()


def test_it_keeps_a_translators_check_for_the_publisher(publisher, editor):
    article = ArticleFactory(
        title_ko="기사", body_ko="본문", original_revision=2, revision_en=2, revision_ko=1
    )
    assert article.is_translation_stale("ko")

    edit(editor, article, confirm_ko="on")

    article.refresh_from_db()
    assert article.is_translation_stale("ko")
    page = publisher.get(article_url("change", article.pk)).content.decode()
    assert "It changes: Korean translation checked" in page
    press(publisher, "publish", article)
    article.refresh_from_db()
    assert not article.is_translation_stale("ko")
