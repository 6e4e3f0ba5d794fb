"""The history and the log hold real changes only: a save that changes nothing records nothing,
and a change lists the fields that changed, in the reader's language."""

import json

import pytest
from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Revision, Version

from core.admin.changes import MultilineTextField
from core.admin.conflicts import TOKEN_FIELD
from news.models import Article
from relations.models import Agreement, WorkingGroup
from tests.factories import AgreementFactory, MeetingFactory, ParticipationFactory
from tests.news.helpers_admin import article_url
from tests.relations.admin_posts import admin_url
from tests.staff import staff_client

from .test_history import form_data

pytestmark = pytest.mark.django_db


def browser_post(response):
    """Return what a browser posts for an admin change form as shown: text areas with "\\r\\n"
    line ends, a date and time in two inputs."""
    data = form_data(response)
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.SplitDateTimeWidget) and form[name].value():
            moment = timezone.localtime(form[name].value())
            del data[name]
            data[f"{name}_0"], data[f"{name}_1"] = f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}"
        elif isinstance(field.widget, forms.Textarea) and name in data:
            data[name] = data[name].replace("\n", "\r\n")
    return data


@pytest.fixture
def article():
    """A published article as seed_demo stores one: bodies ending in a line end, no Chinese."""
    return Article.objects.create(
        slug="sisterhood",
        title_en="From Friendship to Sisterhood",
        title_ko="우호에서 자매결연으로",
        body_en="Gyeonggi and Jiangsu.\n\n- one\n- two\n",
        body_ko="경기도와 장쑤성.\n\n- 하나\n- 둘\n",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now(),
        revision_en=1,
        revision_ko=1,
    )


def history_of(record):
    return Revision.objects.count(), Version.objects.get_for_object(record).count()


def changes_logged(record):
    entries = LogEntry.objects.filter(object_id=str(record.pk), action_flag=CHANGE)
    return [entry.get_change_message() for entry in entries]


def test_it_records_nothing_for_an_article_saved_unchanged(admin_client, article):
    url = article_url("change", article.pk)
    before, updated_at = history_of(article), article.updated_at
    r = admin_client.post(url, browser_post(admin_client.get(url)))
    assert r.status_code == 302
    assert history_of(article) == before
    assert changes_logged(article) == []
    article.refresh_from_db()
    assert article.updated_at == updated_at


def test_it_logs_only_the_fields_that_changed(admin_client, article):
    url = article_url("change", article.pk)
    data = {**browser_post(admin_client.get(url)), "title_ko": "경기도·장쑤성 자매결연"}
    assert admin_client.post(url, data).status_code == 302
    [entry] = LogEntry.objects.filter(object_id=str(article.pk), action_flag=CHANGE)
    assert json.loads(entry.change_message) == [{"changed": {"fields": ["Title [ko]"]}}]
    revision = Version.objects.get_for_object(article).first().revision
    assert revision.get_comment() == "Changed Title [ko]."
    assert TOKEN_FIELD not in entry.change_message + revision.comment


def test_it_logs_nothing_for_an_editors_unchanged_save_of_a_live_article(
    django_user_model, article
):
    editor = staff_client(django_user_model, "editor")
    url = article_url("change", article.pk)
    page = editor.get(url)
    data = {**browser_post(page), "csrfmiddlewaretoken": page.context["csrf_token"]}
    before = history_of(article)
    assert editor.post(url, data).status_code == 302
    assert history_of(article) == before
    assert changes_logged(article) == []


@pytest.fixture
def two_versions(admin_client, article):
    url = article_url("change", article.pk)
    first = {**browser_post(admin_client.get(url)), "summary_en": "Sister regions."}
    assert admin_client.post(url, first).status_code == 302
    second = {**browser_post(admin_client.get(url)), "title_ko": "경기도·장쑤성 자매결연"}
    assert admin_client.post(url, second).status_code == 302
    return list(Version.objects.get_for_object(article))


def compare(admin_client, article, versions, language="en"):
    url = reverse("admin:news_article_compare", args=(article.pk,))
    pks = [version.pk for version in versions]
    return admin_client.get(url, {"version": pks}, HTTP_ACCEPT_LANGUAGE=language)


def test_it_compares_only_the_fields_that_differ(admin_client, article, two_versions):
    r = compare(admin_client, article, two_versions)
    assert [row["label"] for row in r.context["rows"]] == ["Title [ko]"]
    # Not what the article derives or keeps for itself, nor what no version ever had.
    for internal in ("Updated at", "Body html", "Original revision", "Title [zh-hans]"):
        assert internal not in r.text
    assert TOKEN_FIELD not in r.text


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_it_compares_and_lists_the_history_in_the_readers_language(
    admin_client, article, two_versions, language
):
    with translation.override(language):
        words = [translation.gettext(w) for w in ("Field", "Back to the history", "Title")]
        changed = LogEntry(change_message=two_versions[0].revision.comment).get_change_message()
    page = compare(admin_client, article, two_versions, language).text
    assert all(word in page for word in words)
    assert "Back to the history" not in page
    history = admin_client.get(article_url("history", article.pk), HTTP_ACCEPT_LANGUAGE=language)
    assert changed in history.text
    assert "Changed" not in history.text


def test_it_records_a_change_of_an_inline_row_alone(admin_client):
    agreement = AgreementFactory()
    participation = ParticipationFactory(agreement=agreement, title_en="Governor")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_data(admin_client.get(url))
    data["participations-0-title_en"] = "Governor of Gyeonggi Province"
    assert admin_client.post(url, data).status_code == 302
    participation.refresh_from_db()
    assert participation.title_en == "Governor of Gyeonggi Province"
    [version] = Version.objects.get_for_object(agreement)
    assert version.revision.version_set.count() == 2  # the agreement with its participation


def test_it_records_a_revert_that_the_form_saves_unchanged(admin_client, article, two_versions):
    url = article_url("revision", article.pk, two_versions[-1].pk)
    assert admin_client.post(url, browser_post(admin_client.get(url))).status_code == 302
    article.refresh_from_db()
    assert article.title_ko == "우호에서 자매결연으로"
    assert Version.objects.get_for_object(article).count() == len(two_versions) + 1


def test_it_reads_text_the_same_whatever_its_line_ends_and_blank_ends():
    field = MultilineTextField()
    assert field.clean("one\r\ntwo\r\n") == "one\ntwo"
    assert not field.has_changed("one\ntwo\n", "one\r\ntwo\r\n")
    assert not field.has_changed(None, "")
    assert field.has_changed("one\ntwo", "one\r\nthree")


def test_it_records_nothing_for_a_meeting_summary_saved_as_shown(admin_client):
    """An inline's text area comes back from a browser with "\\r\\n" line ends too."""
    meeting = MeetingFactory(summary_en="Agenda.\n\n- trade\n- culture\n")
    group = meeting.group
    url = admin_url(WorkingGroup, "change", group.pk)
    data = browser_post(admin_client.get(url))
    name = "meetings-0-summary_en"
    data[name] = data[name].strip().replace("\n", "\r\n")
    before = history_of(group)
    r = admin_client.post(url, data)
    assert r.status_code == 302
    assert history_of(group) == before
    assert changes_logged(group) == []
    meeting.refresh_from_db()
    assert meeting.summary_en == "Agenda.\n\n- trade\n- culture\n"
