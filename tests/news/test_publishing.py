"""The publishing rule itself (news.publishing); test_publishing_permissions drives every route."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from news import publishing
from news.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=500)
PUBLISHED = (Article.Status.PUBLISHED, NOW)


def member_of(django_user_model, role):
    user = django_user_model.objects.create_user(f"{role}-user", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return django_user_model.objects.get(pk=user.pk)  # without the permission cache


def test_it_lets_a_publisher_publish_and_not_an_editor(django_user_model):
    assert publishing.can_publish(member_of(django_user_model, "publisher"))
    assert not publishing.can_publish(member_of(django_user_model, "editor"))


def test_it_names_the_permission_the_model_defines():
    app_label, codename = publishing.PUBLISH_PERMISSION.split(".")
    assert (app_label, codename) in [("news", c) for c, _name in Article._meta.permissions]


def test_it_reads_what_an_article_was_saved_with():
    article = ArticleFactory(status=Article.Status.PUBLISHED, publish_at=NOW)
    assert publishing.saved_publishing(article) == PUBLISHED
    assert publishing.saved_publishing(Article()) is None
    assert publishing.saved_publishing(None) is None


@pytest.mark.parametrize(
    "saved,status,publish_at,refused",
    [
        (None, "draft", None, set()),
        (None, "published", None, {"status"}),
        (("draft", None), "review", None, set()),
        (("review", None), "archived", None, {"status"}),
        (PUBLISHED, "draft", NOW, {"status"}),
        (PUBLISHED, "published", NOW.replace(microsecond=0), set()),
        (PUBLISHED, "published", NOW + datetime.timedelta(hours=1), {"publish_at"}),
        (("draft", None), "draft", NOW, {"publish_at"}),
    ],
)
def test_it_refuses_each_change_only_a_publisher_may_make(saved, status, publish_at, refused):
    refusals = publishing.publishing_refusals(saved=saved, status=status, publish_at=publish_at)
    assert set(refusals) == refused


def test_it_lets_a_publisher_save_what_it_refuses_an_editor(django_user_model):
    change = {"saved": None, "status": "published", "publish_at": NOW}
    assert publishing.may_save(member_of(django_user_model, "publisher"), **change)
    assert not publishing.may_save(member_of(django_user_model, "editor"), **change)


def test_it_offers_an_editor_the_private_statuses_or_the_saved_public_one():
    assert publishing.offered_statuses(None) == ["draft", "review"]
    assert publishing.offered_statuses(("review", None)) == ["draft", "review"]
    assert publishing.offered_statuses(("archived", None)) == ["archived"]


def test_it_keeps_an_editors_change_to_a_live_article_for_a_publisher(django_user_model):
    editor = member_of(django_user_model, "editor")
    publisher = member_of(django_user_model, "publisher")
    assert publishing.saves_as_pending_change(editor, saved=PUBLISHED)
    assert not publishing.saves_as_pending_change(editor, saved=("draft", None))
    assert not publishing.saves_as_pending_change(publisher, saved=PUBLISHED)
