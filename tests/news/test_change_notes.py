"""Dated public change notes of an article ("updates to this page"): under the article, in the
feed entry's `updated`, written by publishers in the admin, kept by the history."""

import datetime

import pytest
import reversion
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from news.models import ChangeNote
from tests.factories import ArticleFactory
from tests.staff import csrf_post

from .helpers_admin import article_change_data, article_url
from .helpers_public import bilingual_article, parse_feed

pytestmark = pytest.mark.django_db

SEOUL = datetime.timezone(datetime.timedelta(hours=9))
PUBLISHED = datetime.datetime(2024, 6, 19, 10, 0, tzinfo=SEOUL)
CORRECTED = "The agreement was signed on 19 June 2024."


def note(article, date=datetime.date(2024, 7, 2), **text):
    return ChangeNote.objects.create(
        article=article, date=date, **(text or {"text_en": CORRECTED})
    )


def updates(response):
    html = response.content.decode()
    return html[html.index('class="article-updates') :] if "article-updates" in html else ""


def add_row(data, **fields):
    """Add one new change note row to an article change form's POST."""
    total = int(data["change_notes-TOTAL_FORMS"])
    data.update({f"change_notes-{total}-{name}": value for name, value in fields.items()})
    data["change_notes-TOTAL_FORMS"] = str(total + 1)
    return data


# ---- The article page


def test_it_lists_the_updates_under_the_article_newest_first(client):
    article = bilingual_article(publish_at=PUBLISHED)
    note(article, datetime.date(2024, 6, 20), text_en="Added the list of attendees.")
    note(article, datetime.date(2024, 7, 2))
    shown = updates(client.get(article.get_absolute_url()))
    assert "Updates to this page" in shown
    assert shown.index("2 July 2024") < shown.index(CORRECTED) < shown.index("20 June 2024")
    assert '<time class="fw-semibold" datetime="2024-07-02">2 July 2024</time>' in shown


def test_it_dates_the_updates_in_the_page_language_and_marks_a_fallback(client):
    article = bilingual_article(publish_at=PUBLISHED)
    note(article, text_en=CORRECTED, text_ko="협약은 2024년 6월 19일에 체결되었습니다.")
    with translation.override("ko"):
        korean = updates(client.get(article.get_absolute_url()))
    with translation.override("zh-hans"):
        chinese = updates(client.get(article.get_absolute_url()))
    assert "2024년 7월 2일" in korean and "협약은 2024년 6월 19일에" in korean
    assert "2024年7月2日" in chinese
    assert f'<span lang="en">{CORRECTED}</span>' in chinese


def test_it_shows_no_updates_section_without_notes(client):
    article = ArticleFactory()
    assert updates(client.get(article.get_absolute_url())) == ""


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_it_titles_the_updates_in_the_page_language(client, language):
    # Needs the catalogs' translation of "Updates to this page".
    article = bilingual_article(publish_at=PUBLISHED)
    note(article)
    with translation.override(language):
        heading = translation.gettext("Updates to this page")
        shown = updates(client.get(article.get_absolute_url()))
    assert heading != "Updates to this page"
    assert heading in shown


def test_it_shows_a_new_or_edited_note_on_the_very_next_request(client, django_assert_num_queries):
    article = ArticleFactory(publish_at=PUBLISHED)
    url = article.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert updates(client.get(url)) == ""  # served from the page cache
    added = note(article)
    assert CORRECTED in updates(client.get(url))
    added.text_en = "The agreement was signed at Dodamso on 19 June 2024."
    added.save()
    assert "signed at Dodamso" in updates(client.get(url))
    added.delete()
    assert updates(client.get(url)) == ""


# ---- The feed


def feed_entry(client):
    [entry] = parse_feed(client.get("/en/news/feed/")).entries
    return entry


def test_it_dates_the_feed_entry_by_its_newest_note(client):
    article = ArticleFactory(publish_at=PUBLISHED)
    assert feed_entry(client).updated == "2024-06-19T01:00:00+00:00"
    note(article, datetime.date(2024, 6, 25))
    note(article, datetime.date(2024, 7, 2))
    # The start of the note's day in Seoul, the office's time zone.
    assert feed_entry(client).updated == "2024-07-01T15:00:00+00:00"
    assert feed_entry(client).published == "2024-06-19T01:00:00+00:00"


def test_it_never_dates_an_update_before_the_publication(client):
    article = ArticleFactory(publish_at=PUBLISHED)
    note(article, datetime.date(2024, 6, 19))
    assert feed_entry(client).updated == "2024-06-19T01:00:00+00:00"


def test_it_writes_the_feed_in_one_query_with_notes(client, django_assert_num_queries):
    for day in range(1, 4):
        note(ArticleFactory(), datetime.date(2024, 7, day))
    with django_assert_num_queries(1):
        client.get(reverse("news:article_feed"))


# ---- The admin


@pytest.fixture
def live():
    with reversion.create_revision():
        article = ArticleFactory(slug="sisterhood", publish_at=PUBLISHED)
    return article


def test_a_publisher_adds_a_note_in_the_article_form(publisher, live):
    data = add_row(article_change_data(live), date="2024-07-02", text_en=CORRECTED)
    r = csrf_post(publisher, article_url("change", live.pk), data)
    assert r.status_code == 302
    assert list(live.change_notes.values_list("date", "text_en")) == [
        (datetime.date(2024, 7, 2), CORRECTED)
    ]
    # Recorded in the article's history, which compares it like any field.
    old, new = Version.objects.get_for_object(live)[1], Version.objects.get_for_object(live)[0]
    compare = reverse("admin:news_article_compare", args=(live.pk,))
    rows = publisher.get(compare, {"version": [old.pk, new.pk]}).context["rows"]
    assert [(row["label"], row["new"]) for row in rows if row["new"] == CORRECTED] == [
        (f"Change note “{CORRECTED}”: Note [en]", CORRECTED)
    ]


def test_it_asks_for_the_note_in_at_least_one_language(publisher, live):
    data = add_row(article_change_data(live), date="2024-07-02")
    data["change_notes-0-text_ko"] = ""
    r = csrf_post(publisher, article_url("change", live.pk), data)
    assert r.status_code == 200
    assert "Write the note in at least one language." in r.content.decode()
    assert not ChangeNote.objects.exists()


def test_an_editor_sees_the_notes_but_cannot_write_them(editor, live):
    note(live)
    page = editor.get(article_url("change", live.pk))
    assert CORRECTED in page.content.decode()
    assert 'name="change_notes-0-text_en"' not in page.content.decode()
    data = add_row(article_change_data(live), date="2024-07-03", text_en="Sneaked in.")
    # The rest of the form is saved (a pending change); the new note is not.
    assert csrf_post(editor, article_url("change", live.pk), data).status_code == 302
    assert list(ChangeNote.objects.values_list("text_en", flat=True)) == [CORRECTED]


def test_an_editors_revert_of_a_live_article_keeps_its_notes(editor, publisher, live):
    data = add_row(article_change_data(live), date="2024-07-02", text_en=CORRECTED)
    assert csrf_post(publisher, article_url("change", live.pk), data).status_code == 302
    before_the_note = Version.objects.get_for_object(live).last()
    url = article_url("revision", live.pk, before_the_note.pk)
    r = csrf_post(editor, url, article_change_data(live, title_en="Reverted title"))
    assert r.status_code == 302
    assert list(live.change_notes.values_list("text_en", flat=True)) == [CORRECTED]
    assert live.pending_change.data["fields"]["title_en"] == "Reverted title"
